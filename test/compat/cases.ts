import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NormalServices } from './normal-form.js';

// The cases: every compose file under each source's directory, loaded alone (`-f FILE`) with its own
// directory as the project directory (so its `.env` applies), and what Compose gives for it, kept beside
// it as FILE.expected.json.

export const COMPAT_ROOT = dirname(fileURLToPath(import.meta.url));
export const SOURCES = ['compose-go', 'docker-compose'] as const;
export type SourceName = (typeof SOURCES)[number];

/** The environment both Compose and composelet load with: nothing from the machine running the tests. */
export const CASE_ENVIRONMENT: Readonly<Record<string, string>> = { PATH: '/usr/bin:/bin', HOME: '/home/compat' };

export interface Expected {
  /** Where the verdict and values come from, in words (tool and version, or the Go test). */
  reference: string;
  /** unscored: no reference can tell (say why in `reference`). */
  verdict: 'accepted' | 'rejected' | 'unscored';
  /** rejected: the reference's own words. */
  cause?: string;
  /** accepted: the compared fields, or null when the reference asserts acceptance only. */
  services?: NormalServices | null;
}

export interface Case {
  source: SourceName;
  /** Relative to test/compat, e.g. "docker-compose/fixtures/wait/compose.yaml". */
  id: string;
  file: string;
  directory: string;
}

export function listCases(): Case[] {
  const cases: Case[] = [];
  for (const source of SOURCES) {
    for (const file of walk(join(COMPAT_ROOT, source))) {
      if (!/\.ya?ml$/.test(file)) continue;
      cases.push({ source, id: relative(COMPAT_ROOT, file), file, directory: dirname(file) });
    }
  }
  return cases.sort((left, right) => left.id.localeCompare(right.id));
}

export function expectedFileOf(testCase: Case): string {
  return `${testCase.file}.expected.json`;
}

export function readExpected(testCase: Case): Expected | null {
  const file = expectedFileOf(testCase);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Expected) : null;
}

function walk(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}
