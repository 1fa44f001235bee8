import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderRuleTable, SWARM_RULES } from './swarm-rules.js';

// The README's "What a Swarm project cannot do" table is the rule table: they cannot drift apart.

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const START = '<!-- swarm-rules:start -->\n';
const END = '\n<!-- swarm-rules:end -->';

function tableInReadme(): string {
  const start = README.indexOf(START);
  const end = README.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md must hold the Swarm rule table between ${START.trim()} and ${END.trim()}`);
  return README.slice(start + START.length, end);
}

describe('the README table of what a Swarm project cannot do', () => {
  it.each(SWARM_RULES.map((rule) => [rule.key, rule.severity]))('must list `%s` (%s)', (key, severity) => {
    expect(tableInReadme()).toContain(`| \`${key.replaceAll('|', '\\|')}\` | ${severity} |`);
  });

  it('must be the table renderRuleTable() prints (paste its output between the markers)', () => {
    expect(tableInReadme()).toBe(renderRuleTable());
  });
});
