import { fail, ok, type ParseResult } from './result.js';

// Byte sizes as Compose and the docker CLI write them (go-units RAMInBytes): "512", "512b", "64k",
// "64kb", "64KiB", "1.5g", "2GB". Every unit is a power of 1024, whatever its spelling.

const UNIT_HINT = '(use b, k, m, g, t or p, optionally followed by b or ib)';

function unitMultiplier(prefix: string): number | undefined {
  switch (prefix.toLowerCase()) {
    case 'k':
      return 1024;
    case 'm':
      return 1024 ** 2;
    case 'g':
      return 1024 ** 3;
    case 't':
      return 1024 ** 4;
    case 'p':
      return 1024 ** 5;
    default:
      return undefined;
  }
}

/**
 * Parses a byte size into whole bytes (fractions floored). A number is bytes. A string is a decimal
 * number, an optional space, and an optional unit: "b", or k, m, g, t or p followed by nothing, "b" or
 * "ib", in any case. Negative sizes, other units and sizes past Number.MAX_SAFE_INTEGER are errors.
 */
export function parseByteSize(input: string | number): ParseResult<number> {
  if (typeof input === 'number') return checkBytes(input, String(input));

  const quoted = JSON.stringify(input);
  if (input === '') {
    return fail(`invalid byte size "": empty (write a number with an optional unit, such as "512m")`);
  }
  if (input.startsWith('-')) return fail(`invalid byte size ${quoted}: must not be negative`);

  const match = /^(\d+(?:\.\d+)?) ?(.*)$/.exec(input);
  if (match === null) {
    return fail(`invalid byte size ${quoted}: expected a number with an optional unit, such as "512m" or "1.5g"`);
  }
  const amount = Number(match[1]);
  const unit = match[2] ?? '';
  if (/^[\d.]/.test(unit)) {
    return fail(`invalid byte size ${quoted}: malformed number (write digits with at most one decimal point)`);
  }
  if (unit === '' || unit.toLowerCase() === 'b') return checkBytes(amount, quoted);

  const multiplier = unitMultiplier(unit.charAt(0));
  const suffix = unit.slice(1).toLowerCase();
  if (multiplier === undefined || !(suffix === '' || suffix === 'b' || suffix === 'ib')) {
    return fail(`invalid byte size ${quoted}: unknown unit "${unit}" ${UNIT_HINT}`);
  }
  return checkBytes(amount * multiplier, quoted);
}

function checkBytes(bytes: number, shown: string): ParseResult<number> {
  if (!Number.isFinite(bytes)) return fail(`invalid byte size ${shown}: not a finite number`);
  if (bytes < 0) return fail(`invalid byte size ${shown}: must not be negative`);
  const whole = Math.floor(bytes);
  if (whole > Number.MAX_SAFE_INTEGER) {
    return fail(`invalid byte size ${shown}: too large (at most ${Number.MAX_SAFE_INTEGER} bytes)`);
  }
  return ok(whole);
}
