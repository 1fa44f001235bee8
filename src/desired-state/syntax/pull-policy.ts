import type { PullPolicy } from '../model.js';
import { fail, ok, type ParseResult } from './result.js';

// `pull_policy:` as compose-go's GetPullPolicy reads it: `daily`, `weekly` and `every_<duration>` are the
// "refresh" policy with a period (pull when the local image is older); `if_not_present` is `missing`;
// `refresh` written alone has no period, and compose-go treats it as `missing`.

const NANOSECONDS_PER_UNIT: Record<string, number> = {
  w: 7 * 24 * 3600e9,
  d: 24 * 3600e9,
  h: 3600e9,
  m: 60e9,
  s: 1e9,
};
const DAY_NS = NANOSECONDS_PER_UNIT.d!;
const FIXED = new Set(['always', 'never', 'missing', 'build', 'if_not_present', 'refresh', 'daily', 'weekly']);

export interface ParsedPullPolicy {
  policy: PullPolicy;
  refreshPeriodNs: number | null;
}

export function parsePullPolicy(input: string): ParseResult<ParsedPullPolicy> {
  if (input === 'daily') return ok({ policy: 'refresh', refreshPeriodNs: DAY_NS });
  if (input === 'weekly') return ok({ policy: 'refresh', refreshPeriodNs: 7 * DAY_NS });
  if (input === 'if_not_present' || input === 'refresh') return ok({ policy: 'missing', refreshPeriodNs: null });
  if (FIXED.has(input)) return ok({ policy: input as PullPolicy, refreshPeriodNs: null });
  const every = /^every_((?:\d+[wdhms])+)$/.exec(input);
  if (every) {
    let total = 0;
    for (const [, amount, unit] of every[1]!.matchAll(/(\d+)([wdhms])/g)) total += Number(amount) * NANOSECONDS_PER_UNIT[unit!]!;
    if (total === 0) return fail(`pull_policy "${input}" needs a period longer than zero`);
    return ok({ policy: 'refresh', refreshPeriodNs: total });
  }
  return fail(
    `invalid pull_policy "${input}": use always, never, missing, build, if_not_present, refresh, daily, weekly or every_<duration> (such as every_12h)`,
  );
}
