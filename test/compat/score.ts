import type { Difference, Outcome } from './evaluate.js';
import { SOURCES } from './cases.js';

// The score per source, as a Markdown table, and the known-differences list: exact (every difference
// listed, every listed entry still a difference) and explained (every entry has a reason in words).

export interface KnownDifference {
  file: string;
  field: string;
  reason: string;
}

export function renderScore(outcomes: readonly Outcome[]): string {
  const rows = [
    '| source | files | accepted as Compose does | rejected as Compose does | fields matching | known differences | unscored |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const source of SOURCES) {
    const mine = outcomes.filter((outcome) => outcome.testCase.source === source);
    const accepted = mine.filter((outcome) => outcome.verdict === 'accepted');
    const rejected = mine.filter((outcome) => outcome.verdict === 'rejected');
    const count = (list: readonly Outcome[]) => list.filter((outcome) => outcome.verdictMatches).length;
    const sum = (pick: (outcome: Outcome) => number) => mine.reduce((total, outcome) => total + pick(outcome), 0);
    rows.push(
      `| ${source} | ${mine.length} | ${count(accepted)}/${accepted.length} | ${count(rejected)}/${rejected.length} | ` +
        `${sum((outcome) => outcome.fieldsMatching)}/${sum((outcome) => outcome.fieldsCompared)} | ` +
        `${sum((outcome) => outcome.differences.length)} | ${mine.filter((outcome) => outcome.verdict === 'unscored').length} |`,
    );
  }
  return rows.join('\n');
}

const keyOf = (entry: { file: string; field: string }) => `${entry.file} ${entry.field}`;

export interface ListCheck {
  /** Differences the list does not name. */
  unlisted: Difference[];
  /** Listed entries that no longer differ. */
  stale: KnownDifference[];
  /** Listed entries without a reason. */
  unexplained: KnownDifference[];
}

export function checkKnownDifferences(differences: readonly Difference[], known: readonly KnownDifference[]): ListCheck {
  const listed = new Set(known.map(keyOf));
  const occurring = new Set(differences.map(keyOf));
  return {
    unlisted: differences.filter((difference) => !listed.has(keyOf(difference))),
    stale: known.filter((entry) => !occurring.has(keyOf(entry))),
    unexplained: known.filter((entry) => entry.reason.trim() === ''),
  };
}

/** The list rewritten for today's differences, keeping the reasons already written. */
export function updateKnownDifferences(differences: readonly Difference[], known: readonly KnownDifference[]): KnownDifference[] {
  const reasons = new Map(known.map((entry) => [keyOf(entry), entry.reason]));
  const seen = new Set<string>();
  const updated: KnownDifference[] = [];
  for (const difference of differences) {
    const key = keyOf(difference);
    if (seen.has(key)) continue;
    seen.add(key);
    updated.push({ file: difference.file, field: difference.field, reason: reasons.get(key) ?? '' });
  }
  return updated.sort((left, right) => left.file.localeCompare(right.file) || left.field.localeCompare(right.field));
}
