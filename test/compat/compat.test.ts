import { afterAll, describe, expect, it } from 'vitest';
import { formatDifferences } from './format.js';
import { checkKnownDifferences, renderScore } from './score.js';
import { readKnownDifferences, runSuite } from './suite.js';

// Compose files nobody here wrote (compose-go's loader testdata, docker/compose's e2e fixtures) must
// load as Compose loads them, and be rejected where Compose rejects them, except for the differences
// listed with reasons in known-differences.json, a list that must stay exact. See README.md here.

const run = runSuite();
const known = readKnownDifferences();
const differences = run.outcomes.flatMap((outcome) => outcome.differences);
const check = checkKnownDifferences(differences, known);

afterAll(() => {
  console.log(`\nCompatibility with Compose (test/compat):\n${renderScore(run.outcomes)}\n`);
});

describe('compose files nobody here wrote', () => {
  it('every case has what Compose gives for it, from a reference (scripts/compat-expected.sh)', () => {
    expect(run.withoutExpectations).toEqual([]);
    expect(run.outcomes.length).toBeGreaterThan(200);
  });

  it('every file must load and be rejected as Compose does, or be a listed known difference', () => {
    expect(check.unlisted, `differences not in known-differences.json (fix them, or run npm run compat:update and give each a reason):\n${formatDifferences(check.unlisted)}`).toEqual([]);
  });

  it('every listed known difference must still occur (run npm run compat:update after a fix)', () => {
    expect(check.stale.map((entry) => `${entry.file} ${entry.field}`)).toEqual([]);
  });

  it('every listed known difference must say why, in words', () => {
    expect(check.unexplained.map((entry) => `${entry.file} ${entry.field}`)).toEqual([]);
  });
});
