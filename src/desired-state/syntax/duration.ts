import { fail, ok, type ParseResult } from './result.js';

// Durations as Compose writes them (Go's time.ParseDuration syntax: "1h30m", "1.5s", "500ms"), held in
// the model as whole nanoseconds.

const UNIT_HINT = '(use ns, us, ms, s, m or h)';

/** Go's time.Duration is an int64 of nanoseconds: nothing longer can reach the engine. */
const MAX_NANOSECONDS = 9_223_372_036_854_775_807n;
const MAX_DURATION_TEXT = '2562047h47m16.854775807s';

const NANOSECONDS_PER_MICROSECOND = 1_000n;
const NANOSECONDS_PER_MILLISECOND = 1_000_000n;
const NANOSECONDS_PER_SECOND = 1_000_000_000n;
const NANOSECONDS_PER_MINUTE = 60n * NANOSECONDS_PER_SECOND;
const NANOSECONDS_PER_HOUR = 60n * NANOSECONDS_PER_MINUTE;

function unitNanoseconds(unit: string): bigint | undefined {
  switch (unit) {
    case 'ns':
      return 1n;
    case 'us':
    case '\u00b5s': // micro sign
    case '\u03bcs': // Greek small letter mu
      return NANOSECONDS_PER_MICROSECOND;
    case 'ms':
      return NANOSECONDS_PER_MILLISECOND;
    case 's':
      return NANOSECONDS_PER_SECOND;
    case 'm':
      return NANOSECONDS_PER_MINUTE;
    case 'h':
      return NANOSECONDS_PER_HOUR;
    default:
      return undefined;
  }
}

/**
 * Parses a duration into whole nanoseconds. A string uses Go's syntax: one or more decimal numbers,
 * each with a unit (ns, us or µs, ms, s, m, h), as in "1h30m" or "1.5s"; "0" alone needs no unit.
 * Fractions finer than a nanosecond are truncated, as Go does. A number means seconds. Negative
 * durations are errors.
 */
export function parseDuration(input: string | number): ParseResult<number> {
  if (typeof input === 'number') return parseSeconds(input);

  const quoted = JSON.stringify(input);
  if (input === '') return fail(`invalid duration "": empty (write a number with a unit, such as "30s")`);
  if (input.startsWith('-')) return fail(`invalid duration ${quoted}: must not be negative`);

  let rest = input.startsWith('+') ? input.slice(1) : input;
  if (rest === '0') return ok(0);
  if (rest === '') return fail(`invalid duration ${quoted}: expected a number after "+"`);

  let total = 0n;
  while (rest !== '') {
    const numberMatch = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = numberMatch?.[1] ?? '';
    const fraction = numberMatch?.[2] ?? '';
    if (whole === '' && fraction === '') {
      return fail(`invalid duration ${quoted}: expected a number at ${JSON.stringify(rest)}`);
    }
    const numberText = numberMatch?.[0] ?? '';
    rest = rest.slice(numberText.length);

    // As in Go, the unit runs up to the next digit or dot.
    const unit = /^[^\d.]+/.exec(rest)?.[0];
    if (unit === undefined) {
      return fail(`invalid duration ${quoted}: missing unit after "${numberText}" ${UNIT_HINT}`);
    }
    const scale = unitNanoseconds(unit);
    if (scale === undefined) return fail(`invalid duration ${quoted}: unknown unit "${unit}" ${UNIT_HINT}`);
    rest = rest.slice(unit.length);

    total += BigInt(whole === '' ? '0' : whole) * scale;
    if (fraction !== '') total += (BigInt(fraction) * scale) / 10n ** BigInt(fraction.length);
    if (total > MAX_NANOSECONDS) {
      return fail(`invalid duration ${quoted}: too long (at most ${MAX_DURATION_TEXT})`);
    }
  }
  return ok(Number(total));
}

function parseSeconds(seconds: number): ParseResult<number> {
  if (!Number.isFinite(seconds)) return fail(`invalid duration ${seconds}: not a finite number of seconds`);
  if (seconds < 0) return fail(`invalid duration ${seconds}: must not be negative`);
  const nanoseconds = Math.round(seconds * 1e9);
  if (nanoseconds > Number(MAX_NANOSECONDS)) {
    return fail(`invalid duration ${seconds}: too long (at most ${MAX_DURATION_TEXT})`);
  }
  return ok(nanoseconds);
}

/**
 * Formats whole nanoseconds as the shortest Go-like duration: zero parts left out ("1m30s", "1h",
 * "1h0.5s"), and below one second the largest unit that fits ("500ms", "1.5µs", "20ns"). Zero is "0s".
 * The output parses back with parseDuration (and with Go's time.ParseDuration).
 */
export function formatDuration(nanoseconds: number): string {
  if (!Number.isInteger(nanoseconds)) {
    throw new RangeError(`formatDuration needs whole nanoseconds, got ${nanoseconds}`);
  }
  if (nanoseconds < 0) return `-${formatDuration(-nanoseconds)}`;
  if (nanoseconds === 0) return '0s';

  const total = BigInt(nanoseconds);
  if (total < NANOSECONDS_PER_MICROSECOND) return `${total}ns`;
  if (total < NANOSECONDS_PER_MILLISECOND) return `${decimal(total, NANOSECONDS_PER_MICROSECOND)}\u00b5s`;
  if (total < NANOSECONDS_PER_SECOND) return `${decimal(total, NANOSECONDS_PER_MILLISECOND)}ms`;

  const hours = total / NANOSECONDS_PER_HOUR;
  const minutes = (total % NANOSECONDS_PER_HOUR) / NANOSECONDS_PER_MINUTE;
  const secondsPart = total % NANOSECONDS_PER_MINUTE;
  let text = '';
  if (hours > 0n) text += `${hours}h`;
  if (minutes > 0n) text += `${minutes}m`;
  if (secondsPart > 0n) text += `${decimal(secondsPart, NANOSECONDS_PER_SECOND)}s`;
  return text;
}

/** `value / unit` as a decimal without trailing zeros: decimal(1500n, 1000n) is "1.5". */
function decimal(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const fraction = value % unit;
  if (fraction === 0n) return `${whole}`;
  const digits = unit.toString().length - 1;
  return `${whole}.${fraction.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}
