import { basename, relative } from 'node:path';
import { loadDesiredState } from '../../src/desired-state/load.js';
import { formatIssue, type ManifestIssue } from '../../src/desired-state/manifest-issue.js';
import { CASE_ENVIRONMENT, COMPAT_ROOT, type Case, type Expected } from './cases.js';
import { COMPARED_FIELDS, normalFormOfProject, type NormalServices } from './normal-form.js';

// One case through composelet's loader (as `composelet config -f FILE` loads it), compared with what
// Compose gives. A difference is named by file and field: `services` (the set of service names),
// `services.NAME.FIELD`, `accepted` (Compose accepts, composelet rejects), `rejected` (Compose rejects,
// composelet accepts), `location` (rejected without file:line), `cause` (rejected only for keys composelet
// does not support yet, not for Compose's cause), `crash` (the loader threw).

/** composelet's words for a key it does not read yet: a rejection for that is not a rejection for Compose's cause. */
const NOT_SUPPORTED_YET = /is not supported yet by composelet/;

export interface Difference {
  file: string;
  field: string;
  /** What differs, for the test's failure message; not stored. */
  detail: string;
}

export interface Outcome {
  testCase: Case;
  verdict: Expected['verdict'];
  /** Compose's verdict reproduced (accepted as it accepts, rejected with file:line as it rejects). */
  verdictMatches: boolean;
  fieldsCompared: number;
  fieldsMatching: number;
  differences: Difference[];
}

export function evaluateCase(testCase: Case, expected: Expected): Outcome {
  const outcome: Outcome = { testCase, verdict: expected.verdict, verdictMatches: false, fieldsCompared: 0, fieldsMatching: 0, differences: [] };
  const differ = (field: string, detail: string) => outcome.differences.push({ file: testCase.id, field, detail });
  const expectedServices = expected.verdict === 'accepted' ? (expected.services ?? null) : null;
  outcome.fieldsCompared = expectedServices ? 1 + Object.keys(expectedServices).length * COMPARED_FIELDS.length : 0;

  let result: ReturnType<typeof loadDesiredState>;
  try {
    result = loadDesiredState(testCase.directory, { files: [basename(testCase.file)], environment: CASE_ENVIRONMENT, homeDir: CASE_ENVIRONMENT.HOME! });
  } catch (error) {
    differ('crash', error instanceof Error ? (error.stack ?? error.message) : String(error));
    return outcome;
  }
  if (expected.verdict === 'unscored') return outcome;

  if (expected.verdict === 'rejected') {
    if (result.ok) {
      differ('rejected', `Compose rejects it (${expected.cause ?? 'see the reference'}); composelet accepts it`);
      return outcome;
    }
    const located = result.issues.filter((issue) => issue.file !== '' && issue.line > 0 && issue.message !== '');
    const forItsCause = located.filter((issue) => !NOT_SUPPORTED_YET.test(issue.message));
    if (located.length === 0) differ('location', `rejected without a line: ${result.issues.map(describeIssue).join(' | ')}`);
    else if (forItsCause.length === 0) differ('cause', `Compose rejects it (${expected.cause ?? 'see the reference'}); composelet only for keys it does not support yet: ${located.map(describeIssue).join(' | ')}`);
    else outcome.verdictMatches = true;
    return outcome;
  }

  if (!result.ok) {
    differ('accepted', `Compose accepts it; composelet rejects it: ${result.issues.map(describeIssue).join(' | ')}`);
    return outcome;
  }
  outcome.verdictMatches = true;
  if (!expectedServices) return outcome;
  const project = result.state.projects[0]!;
  compareServices(expectedServices, normalFormOfProject(project, testCase.directory), outcome, differ);
  return outcome;
}

function compareServices(expected: NormalServices, actual: NormalServices, outcome: Outcome, differ: (field: string, detail: string) => void): void {
  const expectedNames = Object.keys(expected).sort();
  const actualNames = Object.keys(actual).sort();
  if (JSON.stringify(expectedNames) === JSON.stringify(actualNames)) outcome.fieldsMatching += 1;
  else differ('services', `Compose: [${expectedNames.join(', ')}]; composelet: [${actualNames.join(', ')}]`);
  for (const name of expectedNames) {
    const mine = actual[name];
    if (!mine) continue;
    for (const field of COMPARED_FIELDS) {
      const want = JSON.stringify(expected[name]![field]);
      const got = JSON.stringify(mine[field]);
      if (want === got) outcome.fieldsMatching += 1;
      else differ(`services.${name}.${field}`, `Compose: ${want}; composelet: ${got}`);
    }
  }
}

function describeIssue(issue: ManifestIssue): string {
  return formatIssue({ ...issue, file: issue.file ? relative(COMPAT_ROOT, issue.file) : issue.file });
}
