import type { DestinationStream } from 'pino';
import { prettyFactory } from 'pino-pretty';

// A terminal view of pino's JSON lines, formatted by pino-pretty, one line each:
// `[14:03:07.123] INFO: [demo reconcile=1a2b3c4d] plan ready {"operations":3}`. Lines that are not JSON
// pass through unchanged; errors print their stack below. Formatting runs in the writing call (no worker
// thread, no transport), so a line is out before the next statement runs.

export interface PrettyLogOptions {
  /** ANSI colors for the level and message; off for files and tests. */
  colors: boolean;
}

const CONTEXT_KEYS = ['project', 'reconcileId'] as const;

/** The message with the reconcile context in brackets before it; a context key that is not a string
 * (not a name) is printed after it as a field instead. */
export function messageWithContext(record: Record<string, unknown>, messageKey: string): string {
  const context = [
    typeof record.project === 'string' ? record.project : null,
    typeof record.reconcileId === 'string' ? `reconcile=${record.reconcileId}` : null,
  ].filter((part) => part !== null);
  const odd = CONTEXT_KEYS.filter((key) => key in record && typeof record[key] !== 'string').map((key) => `${key}=${JSON.stringify(record[key])}`);
  const message = typeof record[messageKey] === 'string' ? (record[messageKey] as string) : '';
  return [context.length > 0 ? `[${context.join(' ')}]` : '', message, ...odd].filter((part) => part !== '').join(' ');
}

/** pino-pretty's formatter for one JSON line, with composelet's choices. */
export function createLogFormatter(options: PrettyLogOptions): (line: string) => string {
  return prettyFactory({
    colorize: options.colors,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: ['pid', 'hostname', ...CONTEXT_KEYS].join(','),
    singleLine: true,
    messageFormat: messageWithContext,
  });
}

/** A pino destination that writes formatted lines to `destination`. */
export function createPrettyDestination(options: PrettyLogOptions & { destination: NodeJS.WritableStream }): DestinationStream {
  const format = createLogFormatter(options);
  let pending = '';
  return {
    write(chunk: string) {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      // pino-pretty passes a line that is not JSON through (with its newline).
      const output = lines.filter((line) => line !== '').map((line) => format(line));
      if (output.length > 0) options.destination.write(output.join(''));
    },
  };
}
