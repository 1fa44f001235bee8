import { resolve } from 'node:path';
import { DEFAULT_REPORT_SCHEDULE } from '../../controller/schedules/report-schedule.js';
import { UsageError } from '../../errors/kinds.js';
import { parseScheduleExpression, type ScheduleExpression } from '../../operations/schedule-expression.js';

// `run --report-dir DIR [--report-schedule CRON]`, read once at start: a bad schedule is a usage error
// naming the flag, before anything runs; a schedule without a directory has nowhere to write.

export function dailyReportOptions(values: { directory: string | undefined; schedule: string | undefined; cwd: string }): { directory: string; schedule: ScheduleExpression } | null {
  if (values.directory === undefined) {
    if (values.schedule !== undefined) throw new UsageError('--report-schedule needs --report-dir DIR (where the reports are written)');
    return null;
  }
  if (values.directory.trim() === '') throw new UsageError('--report-dir: expected a directory, got ""');
  const parsed = parseScheduleExpression(values.schedule ?? DEFAULT_REPORT_SCHEDULE);
  if (!parsed.ok) throw new UsageError(`--report-schedule "${values.schedule}": ${parsed.error}`);
  return { directory: resolve(values.cwd, values.directory), schedule: parsed.value };
}
