import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPAT_ROOT, listCases, readExpected } from './cases.js';
import { evaluateCase, type Outcome } from './evaluate.js';
import type { KnownDifference } from './score.js';

// Every case evaluated, in-process (no engine), and the known-differences list as committed.

export const KNOWN_DIFFERENCES_FILE = join(COMPAT_ROOT, 'known-differences.json');
export const README_FILE = join(COMPAT_ROOT, 'README.md');

export interface SuiteRun {
  outcomes: Outcome[];
  /** Cases with no FILE.expected.json yet (run scripts/compat-expected.sh). */
  withoutExpectations: string[];
}

export function runSuite(): SuiteRun {
  const outcomes: Outcome[] = [];
  const withoutExpectations: string[] = [];
  for (const testCase of listCases()) {
    const expected = readExpected(testCase);
    if (!expected) withoutExpectations.push(testCase.id);
    else outcomes.push(evaluateCase(testCase, expected));
  }
  return { outcomes, withoutExpectations };
}

export function readKnownDifferences(): KnownDifference[] {
  return existsSync(KNOWN_DIFFERENCES_FILE) ? (JSON.parse(readFileSync(KNOWN_DIFFERENCES_FILE, 'utf8')) as KnownDifference[]) : [];
}
