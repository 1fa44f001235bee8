import { join } from 'node:path';
import { loadProject } from '../desired-state/load-project.js';
import type { SecretSources } from '../desired-state/secrets/secret-sources.js';
import { formatIssue } from '../desired-state/manifest-issue.js';
import { discoverProjectKeys, projectSourceOf } from '../controller/project-keys.js';
import { evaluatePolicy, policyBlocks, renderFindings } from '../policy/index.js';
import type { SpecHashes } from './commit-changes.js';

// Before a fetched commit is put in force: every project under its manifests root must load and pass
// policy, as the controller would load it. The first problems make the quarantine reason, with paths
// relative to the repository (never the state dir's temporary names).

export interface CommitVerdict {
  ok: boolean;
  projects: string[];
  /** Empty when ok. */
  problems: string[];
  /** Each loaded project's services by spec hash, by project name (what a failed rollout is blamed by). */
  specHashes: SpecHashes;
}

export interface ValidateCommitOptions {
  checkoutDirectory: string;
  gitPath: string;
  environment: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  /** --secrets-dir and --age-key-file: an encrypted file that does not decrypt quarantines the commit. */
  secrets?: SecretSources;
}

export function validateCommit(options: ValidateCommitOptions): CommitVerdict {
  const root = join(options.checkoutDirectory, options.gitPath);
  const keys = discoverProjectKeys(root);
  if (keys.length === 0) return { ok: false, projects: [], problems: [`no compose project in ${options.gitPath === '.' ? 'the repository' : options.gitPath} nor in its subdirectories`], specHashes: {} };
  const problems: string[] = [];
  const specHashes: SpecHashes = {};
  for (const key of keys) {
    const source = projectSourceOf(root, key);
    if (!source) continue;
    const result = loadProject(source, {
      environment: options.environment,
      homeDir: options.homeDir,
      ...(options.secrets ? { secrets: options.secrets } : {}),
    });
    if (!result.ok) {
      problems.push(...result.issues.map(formatIssue));
      continue;
    }
    specHashes[result.project.name] = Object.fromEntries(Object.values(result.project.services).map((service) => [service.name, service.specHash]));
    const findings = evaluatePolicy(result.project);
    if (policyBlocks(findings)) problems.push(...renderFindings(findings.filter((finding) => finding.level === 'error')));
  }
  const relative = (text: string) => text.split(`${options.checkoutDirectory}/`).join('');
  return { ok: problems.length === 0, projects: keys, problems: problems.map(relative), specHashes };
}

/** One line for status and logs: the first problems, and how many more. */
export function quarantineReason(problems: readonly string[], shown = 3): string {
  const head = problems.slice(0, shown).join('; ');
  return problems.length > shown ? `${head}; and ${problems.length - shown} more` : head;
}
