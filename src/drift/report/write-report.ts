import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DriftReport } from '../model.js';
import { renderDriftMarkdown } from './render-markdown.js';

// Reports written to a directory on a schedule (the controller's --drift-report-dir): each one as
// `drift-<time>.json` and `.md`, and `latest.json` / `latest.md` replaced by rename, so a reader never
// sees half a file. Older timestamped reports beyond `keep` are removed (only files of that pattern).

export interface WriteReportOptions {
  /** Timestamped reports to keep (each a .json and a .md); default 100. */
  keep?: number;
}

export interface WrittenReport {
  jsonPath: string;
  markdownPath: string;
}

const REPORT_FILE = /^drift-\d{8}T\d{6}(\d{3})?Z\.(json|md)$/;

export async function writeDriftReport(directory: string, report: DriftReport, options: WriteReportOptions = {}): Promise<WrittenReport> {
  await mkdir(directory, { recursive: true });
  const stamp = report.generatedAt.replace(/[-:]/g, '').replace('.', '');
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const markdown = renderDriftMarkdown(report);
  const jsonPath = join(directory, `drift-${stamp}.json`);
  const markdownPath = join(directory, `drift-${stamp}.md`);
  await writeAtomically(jsonPath, json);
  await writeAtomically(markdownPath, markdown);
  await writeAtomically(join(directory, 'latest.json'), json);
  await writeAtomically(join(directory, 'latest.md'), markdown);
  await prune(directory, options.keep ?? 100);
  return { jsonPath, markdownPath };
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode: 0o640 });
  await rename(temporary, path);
}

async function prune(directory: string, keep: number): Promise<void> {
  const reports = (await readdir(directory)).filter((name) => REPORT_FILE.test(name) && name.endsWith('.json')).sort();
  const stale = reports.slice(0, Math.max(0, reports.length - keep));
  for (const name of stale) {
    await rm(join(directory, name), { force: true });
    await rm(join(directory, name.replace(/\.json$/, '.md')), { force: true });
  }
}
