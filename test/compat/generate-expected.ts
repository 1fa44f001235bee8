import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { CASE_ENVIRONMENT, COMPAT_ROOT, expectedFileOf, listCases, type Case, type Expected } from './cases.js';
import { normalFormOfLegacyConfig } from './legacy-config.js';

// Writes FILE.expected.json beside every case: what Compose gives, from a real reference.
// 1. docker-compose 1.29 (`docker-compose -f FILE config`, run in the file's directory, with the fixed
//    case environment): accepted with its values, or rejected with its words.
// 2. Where 1.29 rejects only the top-level `name:` (which it predates, and which changes none of the
//    compared fields), 1.29 again on a copy without it.
// 3. Where 1.29 rejects for a key it predates, test/compat/v2-references.json: the verdict (and values
//    where the Go tests assert them) transcribed from compose-go's and docker/compose's own Go tests.
// Run: bash scripts/compat-expected.sh [--all] (needs the legacy docker-compose). 1.29 takes seconds per
// file, so by default only cases without FILE.expected.json are run through it; --all redoes every one.

const LEGACY = 'docker-compose 1.29 (`docker-compose -f FILE config`)';
const NAME_REJECTED = /'name' does not match any of the regexes/;

interface V2Reference extends Expected {
  /** Why 1.29 cannot be the reference for this file. */
  why_not_1_29: string;
}

function runLegacy(testCase: Case, file: string): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync('docker-compose', ['-f', basename(file), 'config'], {
    cwd: testCase.directory,
    env: { ...CASE_ENVIRONMENT },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error) throw result.error;
  return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr };
}

function legacyCause(stderr: string, testCase: Case, file: string): string {
  return stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !/variable is not set/.test(line) && !/^You might be seeing this error/.test(line) && !/^For more on the Compose/.test(line))
    .join(' ')
    .replaceAll(basename(file), basename(testCase.file))
    .replaceAll(COMPAT_ROOT, 'test/compat')
    .trim();
}

function legacyExpectation(testCase: Case): Expected | { nameOnly: true } | { predates: string } {
  let result = runLegacy(testCase, testCase.file);
  let reference = LEGACY;
  let file = testCase.file;
  if (!result.ok && NAME_REJECTED.test(result.stderr)) {
    const document = parseDocument(readFileSync(testCase.file, 'utf8'));
    document.delete('name');
    file = join(testCase.directory, `.${basename(testCase.file)}.without-name.yaml`);
    writeFileSync(file, document.toString());
    try {
      result = runLegacy(testCase, file);
    } finally {
      rmSync(file, { force: true });
    }
    reference = `${LEGACY} on a copy without the top-level \`name:\`, which 1.29 predates and which changes none of the compared fields`;
  }
  if (result.ok) {
    return { reference, verdict: 'accepted', services: normalFormOfLegacyConfig(parse(result.stdout) ?? {}, testCase.directory) };
  }
  return { predates: legacyCause(result.stderr, testCase, file), reference } as { predates: string };
}

function main(): void {
  const v2References = JSON.parse(readFileSync(join(COMPAT_ROOT, 'v2-references.json'), 'utf8')) as Record<string, V2Reference>;
  const unclassified: string[] = [];
  const all = process.argv.includes('--all');
  for (const testCase of listCases()) {
    if (!all && !v2References[testCase.id] && existsSync(expectedFileOf(testCase))) continue;
    const fromV2 = v2References[testCase.id];
    let expected: Expected;
    if (fromV2) {
      const { why_not_1_29: _why, ...rest } = fromV2;
      expected = rest;
    } else {
      const legacy = legacyExpectation(testCase);
      if ('predates' in legacy) {
        unclassified.push(`${testCase.id}: 1.29 says: ${legacy.predates}`);
        continue;
      }
      expected = legacy as Expected;
    }
    writeFileSync(expectedFileOf(testCase), `${JSON.stringify(expected, null, 2)}\n`);
  }
  if (unclassified.length > 0) {
    process.stderr.write(
      `${unclassified.length} file(s) docker-compose 1.29 rejects and test/compat/v2-references.json does not classify.\n` +
        `For each, read the Go tests that load it and add an entry (verdict, reference, why_not_1_29), or, if\n` +
        `Compose v2 also rejects it for the reason 1.29 gives, an entry with verdict "rejected":\n${unclassified.join('\n')}\n`,
    );
    process.exitCode = 1;
  }
}

main();
