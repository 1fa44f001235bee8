import { randomBytes } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { REDACTED_PATHS, censorLogValue } from './log-redaction.js';
import { createPrettyDestination } from './pretty-log.js';

// One root logger, made once at start and handed down; business code receives child loggers and never
// imports a global one. JSON lines by default (pino's own, numeric levels, epoch-millisecond `time`),
// a short readable line on a terminal. Secrets are redacted by path (log-redaction.ts).

export type LogFormat = 'json' | 'pretty' | 'auto';

export interface LoggerOptions {
  /** trace, debug, info (default), warn, error, fatal, silent. */
  level?: string;
  /** json (default); pretty; auto: pretty when the destination is a TTY. */
  format?: LogFormat;
  /** Default process.stderr, so stdout stays free for command output. */
  destination?: NodeJS.WritableStream;
  /** Fields on every line; replaces pino's default pid and hostname. */
  base?: Record<string, unknown>;
  /** Pretty output only; default: when the destination is a TTY. */
  colors?: boolean;
  /** Milliseconds since the epoch for `time`; injected by tests. */
  now?: () => number;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new Error(`unknown log level '${level}': use one of ${LOG_LEVELS.join(', ')}`);
  }
  const destination = options.destination ?? process.stderr;
  const format = options.format ?? 'json';
  const pretty = format === 'pretty' || (format === 'auto' && isTerminal(destination));
  const now = options.now;
  return pino(
    {
      level,
      redact: { paths: [...REDACTED_PATHS], censor: censorLogValue },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      ...(options.base === undefined ? {} : { base: options.base }),
      ...(now === undefined ? {} : { timestamp: () => `,"time":${now()}` }),
    },
    pretty ? createPrettyDestination({ destination, colors: options.colors ?? isTerminal(destination) }) : destination,
  );
}

export interface ReconcileLogContext {
  project: string;
  reconcileId: string;
}

/** The logger one reconcile runs with: every line carries the project and the reconcile id. */
export function reconcileLogger(parent: Logger, context: ReconcileLogContext): Logger {
  return parent.child({ project: context.project, reconcileId: context.reconcileId });
}

/** Eight hex characters: enough to tell reconciles apart in a log, short enough to read. */
export function newReconcileId(): string {
  return randomBytes(4).toString('hex');
}
