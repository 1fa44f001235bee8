import { describe, expect, it } from 'vitest';
import { dailyReportOptions } from './run-report-options.js';

describe('run --report-dir / --report-schedule', () => {
  it.each<[string, { directory?: string; schedule?: string }, unknown]>([
    ['no --report-dir: no report', {}, null],
    ['--report-dir alone: every day at 18:00', { directory: 'reports' }, { directory: '/srv/reports', schedule: { source: '0 18 * * *' } }],
    ['a schedule with seconds', { directory: '/var/reports', schedule: '*/2 * * * * *' }, { directory: '/var/reports', schedule: { source: '*/2 * * * * *' } }],
  ])('%s', (_name, values, expected) => {
    expect(dailyReportOptions({ directory: values.directory, schedule: values.schedule, cwd: '/srv' })).toEqual(expected);
  });

  it.each<[string, { directory?: string; schedule?: string }, RegExp]>([
    ['a bad schedule must be a startup error naming the flag', { directory: 'r', schedule: '0 18 * *' }, /^--report-schedule "0 18 \* \*": expected a cron expression of 5 fields/],
    ['an impossible hour must be refused', { directory: 'r', schedule: '0 25 * * *' }, /^--report-schedule "0 25 \* \* \*": /],
    ['a schedule without a directory must be refused', { schedule: '0 18 * * *' }, /--report-schedule needs --report-dir/],
  ])('%s', (_name, values, expected) => {
    expect(() => dailyReportOptions({ directory: values.directory, schedule: values.schedule, cwd: '/srv' })).toThrow(expected);
  });
});
