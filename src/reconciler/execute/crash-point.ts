// A crash point for the chaos suite: with COMPOSELET_CRASH_AT=<operation kind>:<n> set, the process dies
// by SIGKILL (exit status 137, no exit handlers run, as when the kernel kills it) right before the n-th
// operation of that kind the executor performs, e.g. `rename-container:1` between the stop and removal
// of the old container and the rename of its replacement. Unset, as always outside that suite, it does
// nothing. The variable is read once, on the first operation.

export interface CrashPointSpec {
  operationKind: string;
  /** 1 for the first operation of that kind. */
  occurrence: number;
}

export interface CrashPoint {
  /** Called by the executor right before it performs an operation. */
  reached(operationKind: string): void;
}

export const CRASH_POINT_VARIABLE = 'COMPOSELET_CRASH_AT';

export function parseCrashPoint(text: string | undefined): CrashPointSpec | null {
  if (text === undefined || text.trim() === '') return null;
  const match = /^([a-z][a-z-]*):([1-9]\d*)$/.exec(text.trim());
  if (!match) throw new Error(`${CRASH_POINT_VARIABLE}=${text}: expected <operation kind>:<n>, e.g. create-container:1`);
  return { operationKind: match[1]!, occurrence: Number(match[2]) };
}

export function createCrashPoint(spec: CrashPointSpec | null, crash: (reason: string) => void): CrashPoint {
  let seen = 0;
  return {
    reached(operationKind) {
      if (spec === null || operationKind !== spec.operationKind) return;
      seen += 1;
      if (seen === spec.occurrence) crash(`crash point ${spec.operationKind}:${spec.occurrence} reached`);
    },
  };
}

let processCrashPoint: CrashPoint | null = null;

/** The executor's hook: the process's crash point, from the environment. */
export function crashPointReached(operationKind: string): void {
  processCrashPoint ??= createCrashPoint(parseCrashPoint(process.env[CRASH_POINT_VARIABLE]), (reason) => {
    process.stderr.write(`${reason}: killing the process\n`);
    process.kill(process.pid, 'SIGKILL');
  });
  processCrashPoint.reached(operationKind);
}
