import { fail, ok, type ParseResult } from '../../desired-state/syntax/result.js';

// Five-field cron expressions as Vixie cron reads them: minute hour day-of-month month day-of-week, each
// a `*`, a number, a range `a-b`, a step `*/n`, `a-b/n` or `a/n`, or a comma list of those; month and
// weekday names (jan, mon); 0 and 7 are Sunday; the @hourly, @daily, @weekly, @monthly and @yearly
// shorthands. When both day fields are restricted a day matches either one (Vixie's rule).

export interface CronExpression {
  source: string;
  /** Sorted, distinct. */
  minutes: number[];
  hours: number[];
  daysOfMonth: number[];
  months: number[];
  /** 0 (Sunday) to 6. */
  daysOfWeek: number[];
  /** False when the field starts with `*`: the other day field alone decides. */
  dayOfMonthRestricted: boolean;
  dayOfWeekRestricted: boolean;
}

interface FieldSpec {
  name: string;
  minimum: number;
  maximum: number;
  names?: readonly string[];
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', minimum: 0, maximum: 59 },
  { name: 'hour', minimum: 0, maximum: 23 },
  { name: 'day of month', minimum: 1, maximum: 31 },
  { name: 'month', minimum: 1, maximum: 12, names: MONTH_NAMES },
  { name: 'day of week', minimum: 0, maximum: 7, names: DAY_NAMES },
];

const SHORTHANDS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** The most days each month can have (February in a leap year). */
const LONGEST_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function parseCron(text: string): ParseResult<CronExpression> {
  const trimmed = text.trim();
  const expanded = trimmed.startsWith('@') ? SHORTHANDS[trimmed.toLowerCase()] : trimmed;
  if (expanded === undefined) {
    return fail(`unknown cron shorthand "${trimmed}" (use ${Object.keys(SHORTHANDS).join(', ')} or five fields)`);
  }
  const parts = expanded.split(/\s+/).filter(Boolean);
  if (parts.length !== 5) {
    return fail(`expected 5 cron fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  }
  const values: number[][] = [];
  for (const [index, part] of parts.entries()) {
    const parsed = parseField(part, FIELDS[index]!);
    if (!parsed.ok) return parsed;
    values.push(parsed.value);
  }
  const daysOfWeek = [...new Set(values[4]!.map((day) => day % 7))].sort((left, right) => left - right);
  const expression: CronExpression = {
    source: trimmed,
    minutes: values[0]!,
    hours: values[1]!,
    daysOfMonth: values[2]!,
    months: values[3]!,
    daysOfWeek,
    dayOfMonthRestricted: !parts[2]!.startsWith('*'),
    dayOfWeekRestricted: !parts[4]!.startsWith('*'),
  };
  if (expression.dayOfMonthRestricted && !expression.dayOfWeekRestricted) {
    const possible = expression.months.some((month) => expression.daysOfMonth.some((day) => day <= LONGEST_MONTH[month - 1]!));
    if (!possible) return fail(`"${trimmed}" never runs: none of its months has that day of month`);
  }
  return ok(expression);
}

function parseField(text: string, field: FieldSpec): ParseResult<number[]> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const parsed = parseItem(item, field);
    if (!parsed.ok) return parsed;
    for (const value of parsed.value) values.add(value);
  }
  return ok([...values].sort((left, right) => left - right));
}

function parseItem(item: string, field: FieldSpec): ParseResult<number[]> {
  const [rangeText = '', stepText, extra] = item.split('/');
  if (extra !== undefined || rangeText === '') return fail(`${field.name}: cannot read "${item}"`);
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) === 0) return fail(`${field.name}: step "${stepText}" must be a positive integer`);
    step = Number(stepText);
  }
  let first: number;
  let last: number;
  if (rangeText === '*') {
    first = field.minimum;
    last = field.maximum;
  } else {
    const [startText = '', endText, more] = rangeText.split('-');
    if (more !== undefined) return fail(`${field.name}: cannot read "${item}"`);
    const start = valueOf(startText, field);
    if (!start.ok) return start;
    first = start.value;
    if (endText !== undefined) {
      const end = valueOf(endText, field);
      if (!end.ok) return end;
      last = end.value;
      if (last < first) return fail(`${field.name}: range "${rangeText}" ends before it starts`);
    } else {
      last = stepText === undefined ? first : field.maximum;
    }
  }
  const values: number[] = [];
  for (let value = first; value <= last; value += step) values.push(value);
  return ok(values);
}

function valueOf(text: string, field: FieldSpec): ParseResult<number> {
  const byName = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (byName >= 0) return ok(field.names === MONTH_NAMES ? byName + 1 : byName);
  if (!/^\d+$/.test(text)) return fail(`${field.name}: "${text}" is not a number${field.names ? ' or a name' : ''}`);
  const value = Number(text);
  if (value < field.minimum || value > field.maximum) {
    return fail(`${field.name}: ${value} is out of range ${field.minimum}-${field.maximum}`);
  }
  return ok(value);
}

/** Whether a calendar day (month 1-12, weekday 0-6) is one the expression runs on. */
export function cronMatchesDay(expression: CronExpression, day: { month: number; dayOfMonth: number; dayOfWeek: number }): boolean {
  if (!expression.months.includes(day.month)) return false;
  const byDayOfMonth = expression.daysOfMonth.includes(day.dayOfMonth);
  const byDayOfWeek = expression.daysOfWeek.includes(day.dayOfWeek);
  if (expression.dayOfMonthRestricted && expression.dayOfWeekRestricted) return byDayOfMonth || byDayOfWeek;
  return byDayOfMonth && byDayOfWeek;
}
