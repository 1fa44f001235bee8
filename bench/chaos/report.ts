import { percentile } from '../statistics.js';
import type { FaultKind, PlannedFault } from './schedule.js';

// The chaos run as data and as a table: per fault kind, how many were injected and healed, the time to
// heal (p50, p99), the duplicates and data lost after them; per run, what no single fault explains
// (stray replacements, one-shot re-runs, broken audit lines). Pure.

/** healed: back as desired; left-alone: by design (a paused container stays paused; the suite unpauses
 * it once the controller has looked); not-healed: not back by the deadline; skipped: could not be
 * injected (e.g. its target had no container). */
export type FaultOutcome = 'healed' | 'left-alone' | 'not-healed' | 'skipped';

export interface FaultRecord extends PlannedFault {
  outcome: FaultOutcome;
  /** From injection (an edit: from writing the value back) to the service as desired. */
  healMs: number | null;
  detail: string | null;
  duplicates: number;
  dataLost: number;
}

export interface BurstRecord {
  burst: number;
  converged: boolean;
  convergeMs: number;
  /** What was still wrong at the deadline. */
  problems: string[];
  strays: string[];
  oneShotReruns: number;
  brokenAuditLines: number;
  /** Losses and duplicates of services no fault of the burst targeted. */
  unattributed: { duplicates: number; dataLost: number };
  /** `service named|anonymous` for every sentinel found lost. */
  lostSentinels: string[];
}

export interface KindRow {
  kind: FaultKind | 'all';
  injected: number;
  healed: number;
  leftAlone: number;
  notHealed: number;
  skipped: number;
  healP50Ms: number | null;
  healP99Ms: number | null;
  duplicates: number;
  dataLost: number;
}

export interface ChaosReport {
  startedAt: string;
  durationMs: number;
  seed: number;
  faultsRequested: number;
  /** Faults per burst, and the time budget that may have ended the run early (null: none). */
  burstSize: { minimum: number; maximum: number };
  budgetMs: number | null;
  kinds: FaultKind[];
  stack: { projectName: string; services: number; namedVolumes: number; anonymousVolumes: number };
  rows: KindRow[];
  totals: KindRow & { strays: number; oneShotReruns: number; brokenAuditLines: number; burstsNotConverged: number };
  faults: FaultRecord[];
  bursts: BurstRecord[];
  notes: string[];
}

export function kindRow(kind: KindRow['kind'], records: readonly FaultRecord[]): KindRow {
  const healTimes = records.filter((record) => record.outcome === 'healed' && record.healMs !== null).map((record) => record.healMs!);
  const count = (outcome: FaultOutcome) => records.filter((record) => record.outcome === outcome).length;
  return {
    kind,
    injected: records.length - count('skipped'),
    healed: count('healed'),
    leftAlone: count('left-alone'),
    notHealed: count('not-healed'),
    skipped: count('skipped'),
    healP50Ms: healTimes.length === 0 ? null : percentile(healTimes, 0.5),
    healP99Ms: healTimes.length === 0 ? null : percentile(healTimes, 0.99),
    duplicates: records.reduce((sum, record) => sum + record.duplicates, 0),
    dataLost: records.reduce((sum, record) => sum + record.dataLost, 0),
  };
}

export function summarizeRun(kinds: readonly FaultKind[], faults: readonly FaultRecord[], bursts: readonly BurstRecord[]): Pick<ChaosReport, 'rows' | 'totals'> {
  const rows = kinds.map((kind) => kindRow(kind, faults.filter((fault) => fault.kind === kind))).filter((row) => row.injected + row.skipped > 0);
  const all = kindRow('all', faults);
  const unattributed = bursts.reduce((sum, burst) => ({ duplicates: sum.duplicates + burst.unattributed.duplicates, dataLost: sum.dataLost + burst.unattributed.dataLost }), { duplicates: 0, dataLost: 0 });
  return {
    rows,
    totals: {
      ...all,
      duplicates: all.duplicates + unattributed.duplicates,
      dataLost: all.dataLost + unattributed.dataLost,
      strays: bursts.reduce((sum, burst) => sum + burst.strays.length, 0),
      oneShotReruns: bursts.reduce((sum, burst) => sum + burst.oneShotReruns, 0),
      brokenAuditLines: bursts.reduce((sum, burst) => sum + burst.brokenAuditLines, 0),
      burstsNotConverged: bursts.filter((burst) => !burst.converged).length,
    },
  };
}

export function formatMs(value: number | null): string {
  if (value === null) return '–';
  return value < 1_000 ? `${Math.round(value)} ms` : `${(value / 1_000).toFixed(2)} s`;
}

export function renderChaosMarkdown(report: ChaosReport): string {
  const { totals } = report;
  const row = (entry: KindRow) =>
    `| ${entry.kind} | ${entry.injected} | ${entry.healed}${entry.leftAlone > 0 ? ` (+${entry.leftAlone} left alone)` : ''} | ${entry.notHealed} | ${formatMs(entry.healP50Ms)} | ${formatMs(entry.healP99Ms)} | ${entry.duplicates} | ${entry.dataLost} |`;
  const lines = [
    `Chaos run, ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC: seed ${report.seed}, ${faultCount(report)} in ${report.bursts.length} bursts, ` +
      `${report.stack.services} services (${report.stack.namedVolumes} named and ${report.stack.anonymousVolumes} anonymous volumes with sentinels, one one-shot), ` +
      `${(report.durationMs / 60_000).toFixed(1)} min.`,
    '',
    '| fault | injected | healed | not healed | heal p50 | heal p99 | duplicates | data lost |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...report.rows.map(row),
    row({ ...totals, kind: 'all' }).replace('| all |', '| **all** |'),
    '',
    `Invariants after every burst: duplicates ${totals.duplicates}, data lost ${totals.dataLost}, stray temporary containers ${totals.strays}, ` +
      `one-shot re-runs ${totals.oneShotReruns}, broken audit lines ${totals.brokenAuditLines}, bursts not converged by the deadline ${totals.burstsNotConverged}.`,
  ];
  const lost = report.bursts.flatMap((burst) => burst.lostSentinels.map((sentinel) => `burst ${burst.burst}: ${sentinel}`));
  if (lost.length > 0) lines.push('', 'Sentinels lost:', ...lost.slice(0, 20).map((line) => `- ${line}`), ...(lost.length > 20 ? [`- and ${lost.length - 20} more`] : []));
  const stuck = report.bursts.filter((burst) => !burst.converged);
  if (stuck.length > 0) lines.push('', 'Not converged:', ...stuck.slice(0, 10).map((burst) => `- burst ${burst.burst}: ${burst.problems.slice(0, 4).join('; ')}`));
  if (report.notes.length > 0) lines.push('', 'Notes:', ...report.notes.map((note) => `- ${note}`));
  return `${lines.join('\n')}\n`;
}

/** "1000 faults", or "612 faults (of 1000 asked; the time budget ended the run)". */
function faultCount(report: ChaosReport): string {
  const run = report.faults.length;
  return run === report.faultsRequested ? `${run} faults` : `${run} faults (of ${report.faultsRequested} asked; the time budget ended the run)`;
}
