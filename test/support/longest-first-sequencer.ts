import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Files run several at a time (the engine project): the run ends when its last file does, so the long
// files must start first. Vitest orders by the durations it cached from the last run, but a clean clone
// (CI) has no cache and falls back to file size, which puts the benchmark smoke test (short file, minutes
// long) near the end. Files vitest knows nothing about are ordered by the durations measured here (seconds,
// a run of the engine project on the 2-core machine, December 2026); files with a cached result keep
// vitest's order. Only the order changes: every file still runs.

/** project:path -> measured seconds (under load: others' tests ran too), for the files that take the longest;
 * a file not listed starts after these. */
export const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  'engine:test/engine/bench-smoke.test.ts': 357,
  'engine:test/engine/chaos-smoke.test.ts': 115,
  'engine:test/engine/drift.test.ts': 92,
  'engine:test/engine/adopt.test.ts': 86,
  'engine:test/engine/converge-cost.test.ts': 78,
  'engine:test/engine/controller-edits.test.ts': 75,
  'engine:test/engine/backup-postgres.test.ts': 75,
  'engine:test/engine/chaos-engine-restart.test.ts': 70,
  'engine:test/engine/git-webhook-crash.test.ts': 67,
  'engine:test/engine/rollout-replica-batches.test.ts': 66,
  'engine:test/engine/rollout-controller-crash.test.ts': 60,
  'engine:test/engine/secrets-encrypted.test.ts': 55,
  'engine:test/engine/controller-operator-day.test.ts': 53,
  'engine:test/engine/git-rollout-quarantine.test.ts': 48,
  'engine:test/engine/controller-lifecycle.test.ts': 46,
  'engine:test/engine/controller-lock.test.ts': 45,
  'engine:test/engine/containerized-controller.test.ts': 45,
  'engine:test/engine/backup-volume-files.test.ts': 45,
  'engine:test/engine/controller-state.test.ts': 44,
  'engine:test/engine/rollout-crash.test.ts': 43,
  'engine:test/engine/converge-safety.test.ts': 42,
  'engine:test/engine/rollout-failures.test.ts': 40,
  'engine:test/engine/converge.test.ts': 40,
  'engine:test/engine/report.test.ts': 39,
  'engine:test/engine/backup-redis.test.ts': 38,
};

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
