import type { LoadResult } from '../../desired-state/load.js';
import type { ManifestIssue } from '../../desired-state/manifest-issue.js';
import { targetOf, type Target } from '../target.js';

// The loader warns about keys a single engine ignores (deploy.mode, placement, update_config...), without
// knowing where the project runs. A Swarm project reads those keys: its one-host warnings are not printed.

/** The load's warnings minus the one-host ones of projects that target Swarm (`--target` wins). When the
 * load failed, the projects are unknown: only `--target swarm` drops them. */
export function warningsToPrint(result: LoadResult, target: Target | undefined): ManifestIssue[] {
  const swarmFiles = new Set<string>();
  if (result.ok) {
    for (const project of result.state.projects) {
      if (targetOf(project, target) === 'swarm') for (const file of [...project.configFiles, ...project.referencedFiles]) swarmFiles.add(file);
    }
  }
  return result.warnings.filter((warning) => !(warning.oneHostOnly && (target === 'swarm' || swarmFiles.has(warning.file))));
}
