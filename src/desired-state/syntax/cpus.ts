import { fail, ok, type ParseResult } from './result.js';

// CPU counts (`cpus:`, `deploy.resources.*.cpus`) as the engine takes them: NanoCPUs, billionths of a
// CPU, so at most nine decimal places. Zero means "no limit", as in Compose.

const NANO_CPUS_PER_CPU = 1_000_000_000;
const MAX_DECIMAL_PLACES = 9;

/**
 * Parses a CPU count ("0.5", "2", 1.25) into NanoCPUs (cpus × 1e9, a whole number). Zero is allowed;
 * negatives, non-decimal text and more than nine decimal places are errors. A number counts the
 * decimal places of its shortest decimal form (what YAML showed), so 0.1 is 100000000 exactly.
 */
export function parseCpus(input: string | number): ParseResult<number> {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return fail(`invalid cpus ${input}: not a finite number`);
    if (input < 0) return fail(`invalid cpus ${input}: must not be negative`);
    return parseDecimal(plainDecimal(input), String(input));
  }
  const quoted = JSON.stringify(input);
  if (input === '') return fail(`invalid cpus "": empty (write a decimal number such as "0.5" or "2")`);
  if (input.startsWith('-')) return fail(`invalid cpus ${quoted}: must not be negative`);
  return parseDecimal(input, quoted);
}

function parseDecimal(text: string, shown: string): ParseResult<number> {
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  const whole = match?.[1] ?? '';
  const fraction = match?.[2] ?? '';
  if (match === null || (whole === '' && fraction === '')) {
    return fail(`invalid cpus ${shown}: expected a decimal number such as "0.5" or "2"`);
  }
  if (fraction.length > MAX_DECIMAL_PLACES) {
    return fail(`invalid cpus ${shown}: too precise (at most ${MAX_DECIMAL_PLACES} decimal places)`);
  }
  const nanoCpus =
    Number(whole === '' ? '0' : whole) * NANO_CPUS_PER_CPU + Number(fraction.padEnd(MAX_DECIMAL_PLACES, '0'));
  if (nanoCpus > Number.MAX_SAFE_INTEGER) return fail(`invalid cpus ${shown}: too large`);
  return ok(nanoCpus);
}

/** The shortest decimal form of a non-negative finite number, without exponent: 1e-7 is "0.0000001". */
function plainDecimal(value: number): string {
  const text = String(value);
  const match = /^(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (match === null) return text;
  const integerDigits = match[1] ?? '';
  const digits = integerDigits + (match[2] ?? '');
  const pointPosition = integerDigits.length + Number(match[3]);
  if (pointPosition <= 0) return `0.${'0'.repeat(-pointPosition)}${digits}`;
  if (pointPosition >= digits.length) return digits + '0'.repeat(pointPosition - digits.length);
  return `${digits.slice(0, pointPosition)}.${digits.slice(pointPosition)}`;
}
