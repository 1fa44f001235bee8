import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleReport } from './report.js';
import { writeDriftReport } from './write-report.js';

// Reports written on a schedule: timestamped files, latest.* replaced whole, old ones pruned.

function reportAt(time: string) {
  return assembleReport({
    projects: [],
    generatedAt: new Date(time),
    host: 'h',
    engine: { version: '1', apiVersion: '1.41' },
    manifest: { path: '/m', git: null },
  });
}

describe('writing drift reports to a directory', () => {
  it('each report must be written as JSON and Markdown, latest.* must be the newest, and only `keep` must stay', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'composelet-drift-dir-')), 'reports');
    const first = await writeDriftReport(directory, reportAt('2024-05-01T12:00:00.000Z'), { keep: 2 });
    expect(first.jsonPath).toBe(join(directory, 'drift-20240501T120000000Z.json'));
    writeFileSync(join(directory, 'notes.txt'), 'kept');
    await writeDriftReport(directory, reportAt('2024-05-01T12:05:00.000Z'), { keep: 2 });
    const last = await writeDriftReport(directory, reportAt('2024-05-01T12:10:00.000Z'), { keep: 2 });
    expect(readdirSync(directory).sort()).toEqual([
      'drift-20240501T120500000Z.json',
      'drift-20240501T120500000Z.md',
      'drift-20240501T121000000Z.json',
      'drift-20240501T121000000Z.md',
      'latest.json',
      'latest.md',
      'notes.txt',
    ]);
    expect(readFileSync(join(directory, 'latest.json'), 'utf8')).toBe(readFileSync(last.jsonPath, 'utf8'));
    expect(JSON.parse(readFileSync(last.jsonPath, 'utf8'))).toMatchObject({ generatedAt: '2024-05-01T12:10:00.000Z' });
    expect(readFileSync(last.markdownPath, 'utf8')).toContain('# Drift report: in sync');
  });
});
