import type { DestinationStream } from 'pino';

// A terminal view of pino's JSON lines, so composelet needs no pino-pretty:
// `14:03:07.123 INFO  [demo reconcile=1a2b3c4d] plan ready operations=3`. Lines that are not JSON pass
// through unchanged. Errors print their message inline and their stack below, indented.

export interface PrettyLogOptions {
  /** ANSI colors for the level and dim time; off for files and tests. */
  colors: boolean;
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLORS: Record<number, string> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '35' };
/** Printed in their own places, or noise on a terminal. */
const PLACED_KEYS = new Set(['level', 'time', 'msg', 'pid', 'hostname']);
/** Printed in the brackets when they are strings, as fields otherwise. */
const CONTEXT_KEYS = new Set(['project', 'reconcileId']);

const paint = (code: string | undefined, text: string, options: PrettyLogOptions) => (options.colors && code ? `\u001b[${code}m${text}\u001b[39m` : text);
const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** Local wall-clock time, `HH:MM:SS.mmm`. */
export function formatClock(epochMilliseconds: number): string {
  const date = new Date(epochMilliseconds);
  return `${pad(date.getHours(), 2)}:${pad(date.getMinutes(), 2)}:${pad(date.getSeconds(), 2)}.${pad(date.getMilliseconds(), 3)}`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value === undefined) return 'undefined';
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function isSerializedError(value: unknown): value is { message: string; stack?: string } {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string' && 'stack' in value;
}

/** One pino record as one line (plus stack lines for errors). */
export function formatLogRecord(record: Record<string, unknown>, options: PrettyLogOptions): string {
  const level = typeof record.level === 'number' ? record.level : 30;
  const levelName = (LEVEL_NAMES[level] ?? (typeof record.level === 'string' ? record.level.toUpperCase() : `L${level}`)).padEnd(5);
  const parts = [paint('2', typeof record.time === 'number' ? formatClock(record.time) : '--:--:--.---', options), paint(LEVEL_COLORS[level], levelName, options)];
  const context = [
    typeof record.project === 'string' ? record.project : null,
    typeof record.reconcileId === 'string' ? `reconcile=${record.reconcileId}` : null,
  ].filter((part) => part !== null);
  if (context.length > 0) parts.push(`[${context.join(' ')}]`);
  if (typeof record.msg === 'string' && record.msg !== '') parts.push(record.msg);
  const stacks: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (PLACED_KEYS.has(key) || (CONTEXT_KEYS.has(key) && typeof value === 'string')) continue;
    if (isSerializedError(value)) {
      parts.push(`${key}=${formatValue(value.message)}`);
      const frames = (value.stack ?? '').split('\n').slice(1);
      if (frames.length > 0) stacks.push(...frames.map((frame) => `    ${frame.trim()}`));
    } else parts.push(`${key}=${formatValue(value)}`);
  }
  return [parts.join(' '), ...stacks].join('\n');
}

/** A pino destination that writes formatted lines to `destination`. */
export function createPrettyDestination(options: PrettyLogOptions & { destination: NodeJS.WritableStream }): DestinationStream {
  let pending = '';
  return {
    write(chunk: string) {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const output = lines.filter((line) => line !== '').map((line) => {
        try {
          const record: unknown = JSON.parse(line);
          return typeof record === 'object' && record !== null && !Array.isArray(record) ? formatLogRecord(record as Record<string, unknown>, options) : line;
        } catch {
          return line;
        }
      });
      if (output.length > 0) options.destination.write(`${output.join('\n')}\n`);
    },
  };
}
