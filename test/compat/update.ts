import { readFileSync, writeFileSync } from 'node:fs';
import { renderScore, updateKnownDifferences } from './score.js';
import { KNOWN_DIFFERENCES_FILE, README_FILE, readKnownDifferences, runSuite } from './suite.js';

// `npm run compat:update`: after other work lands, rewrite known-differences.json for today's
// differences (reasons already written are kept; new entries get an empty reason, which fails the test
// until someone writes one) and the score table in test/compat/README.md.

const BEGIN = '<!-- compat-score:begin -->';
const END = '<!-- compat-score:end -->';

const { outcomes, withoutExpectations } = runSuite();
const differences = outcomes.flatMap((outcome) => outcome.differences);
const updated = updateKnownDifferences(differences, readKnownDifferences());
writeFileSync(KNOWN_DIFFERENCES_FILE, `${JSON.stringify(updated, null, 2)}\n`);

const readme = readFileSync(README_FILE, 'utf8');
const start = readme.indexOf(BEGIN);
const end = readme.indexOf(END);
if (start < 0 || end < start) throw new Error(`${README_FILE} lacks the ${BEGIN} ... ${END} markers`);
writeFileSync(README_FILE, `${readme.slice(0, start + BEGIN.length)}\n${renderScore(outcomes)}\n${readme.slice(end)}`);

const unexplained = updated.filter((entry) => entry.reason === '');
process.stdout.write(`${renderScore(outcomes)}\n\n${updated.length} known difference(s), ${unexplained.length} without a reason:\n`);
for (const entry of unexplained) process.stdout.write(`  ${entry.file} ${entry.field}\n`);
if (withoutExpectations.length > 0) process.stdout.write(`\nNo expectations yet (run scripts/compat-expected.sh): ${withoutExpectations.join(', ')}\n`);
