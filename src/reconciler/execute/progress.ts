import type { ExecutionEvent, ExecutionReport } from './execute.js';
import type { Operation, OperationKind } from '../plan/plan.js';

// What a run looks like while it runs. On a terminal: one live line per service (networks and volumes by
// their resource id), redrawn in place, then a summary. Elsewhere (CI logs, pipes): one plain line when an
// operation starts, when a wait is met, and when one fails or is skipped, then the same summary.

export interface ProgressReporterOptions {
  stream: NodeJS.WritableStream;
  /** A TTY: redraw lines in place with ANSI cursor moves. */
  interactive: boolean;
  now?: () => number;
}

export interface ProgressReporter {
  onEvent(event: ExecutionEvent): void;
  finish(report: ExecutionReport): void;
}

const ACTIVE: Record<OperationKind, string> = {
  'build-image': 'building',
  'pull-image': 'pulling',
  'create-network': 'creating',
  'create-volume': 'creating',
  'create-container': 'creating',
  'start-container': 'starting',
  'stop-container': 'stopping',
  'remove-container': 'removing',
  'rename-container': 'renaming',
  'update-container': 'updating',
  'connect-network': 'connecting',
  wait: 'waiting',
  'rollout-gate': 'checking the batch',
  'remove-network': 'removing',
  'remove-volume': 'removing',
};

const DONE: Record<OperationKind, string> = {
  'build-image': 'built',
  'pull-image': 'pulled',
  'create-network': 'created',
  'create-volume': 'created',
  'create-container': 'created',
  'start-container': 'started',
  'stop-container': 'stopped',
  'remove-container': 'removed',
  'rename-container': 'renamed',
  'update-container': 'updated',
  'connect-network': 'connected',
  wait: 'ready',
  'rollout-gate': 'batch passed',
  'remove-network': 'removed',
  'remove-volume': 'removed',
};

const WAIT_MET = { running: 'running', healthy: 'healthy', 'completed-successfully': 'completed' } as const;

/** `service api`, or the resource id of what serves no service (`network:demo_default`). */
export function progressLabel(operation: Operation): string {
  return operation.service !== null ? `service ${operation.service}` : operation.resourceId;
}

/** What the operation is doing (started) or did (succeeded): "creating", "waiting for healthy", "healthy". */
export function progressWord(operation: Operation, type: 'started' | 'succeeded'): string {
  if (operation.kind === 'wait') return type === 'started' ? `waiting for ${operation.condition}` : WAIT_MET[operation.condition];
  return type === 'started' ? ACTIVE[operation.kind] : DONE[operation.kind];
}

/** `3 succeeded, 1 failed, 2 skipped in 4.2s` (and abandoned ones when there are any). */
export function summaryLine(report: ExecutionReport): string {
  const { succeeded, failed, skipped, abandoned } = report.totals;
  const counts = `${succeeded} succeeded, ${failed} failed, ${skipped} skipped${abandoned > 0 ? `, ${abandoned} abandoned` : ''}`;
  return `${counts} in ${(report.durationMs / 1000).toFixed(1)}s`;
}

export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  return options.interactive ? liveLines(options) : plainLines(options.stream);
}

function plainLines(stream: NodeJS.WritableStream): ProgressReporter {
  return {
    onEvent(event) {
      const { operation } = event;
      const label = progressLabel(operation);
      if (event.type === 'started') stream.write(`${label}: ${progressWord(operation, 'started')} (op [${operation.id}])\n`);
      else if (event.type === 'succeeded' && operation.kind === 'wait') {
        stream.write(`${label}: ${progressWord(operation, 'succeeded')} (op [${operation.id}])\n`);
      } else if (event.type === 'failed' || event.type === 'skipped') stream.write(`${label}: ${event.type}: ${event.error ?? 'no reason given'}\n`);
    },
    finish(report) {
      stream.write(`${summaryLine(report)}\n`);
    },
  };
}

interface Row {
  text: string;
  failed: boolean;
  firstSeenAt: number;
  lastSeenAt: number;
}

const CURSOR_UP = (lines: number) => `\u001b[${lines}A`;
const CLEAR_LINE = '\u001b[2K';

function liveLines(options: ProgressReporterOptions): ProgressReporter {
  const now = options.now ?? Date.now;
  const rows = new Map<string, Row>();
  let drawnLines = 0;

  const draw = () => {
    const width = Math.max(0, ...[...rows.keys()].map((label) => label.length));
    let output = drawnLines > 0 ? CURSOR_UP(drawnLines) : '';
    for (const [label, row] of rows) {
      const elapsed = ((row.lastSeenAt - row.firstSeenAt) / 1000).toFixed(1);
      output += `${CLEAR_LINE}${label.padEnd(width)}  ${row.text} (${elapsed}s)\n`;
    }
    drawnLines = rows.size;
    options.stream.write(output);
  };

  return {
    onEvent(event) {
      const label = progressLabel(event.operation);
      const at = now();
      const row = rows.get(label) ?? { text: '', failed: false, firstSeenAt: at, lastSeenAt: at };
      rows.set(label, row);
      // A failure stays on the line, its clock stopped: the skips that follow it say less.
      if (event.type === 'skipped' && row.failed) return draw();
      row.lastSeenAt = at;
      if (event.type === 'failed' || event.type === 'skipped') {
        row.text = `${event.type}: ${event.error ?? 'no reason given'}`;
        row.failed = true;
      } else {
        row.text = progressWord(event.operation, event.type);
        row.failed = false;
      }
      draw();
    },
    finish(report) {
      for (const row of rows.values()) if (!row.failed) row.text = 'done';
      if (rows.size > 0) draw();
      options.stream.write(`${summaryLine(report)}\n`);
    },
  };
}
