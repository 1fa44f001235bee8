import { setFlagsFromString } from 'node:v8';

// The long-running controller's young generation kept at V8's initial size. V8 grows the semi-spaces
// (where new objects are made) up to 16 MiB each as a process allocates, and a controller rarely gives
// them back while idle: at 60 services that is about 10 MiB of the idle RSS (bench/footprint-only.ts:
// 82 MiB at the default, 72 MiB with the growth stopped). The controller's objects live either for one
// reconcile or for good, so small, frequent scavenges cost it little. Set before `run` loads its modules;
// left alone when the operator chose semi-space flags themselves (command line or NODE_OPTIONS).

const GROWTH_FLAG = '--semi-space-growth-factor=1';

/** The V8 flag to set, or null when the operator already chose a semi-space setting. Pure. */
export function youngGenerationFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | null {
  const chosen = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((argument) => /^--((max|min)[-_])?semi[-_]space/.test(argument));
  return chosen ? null : GROWTH_FLAG;
}

/** Stops the young generation from growing in this process (see above); call before loading the controller. */
export function keepYoungGenerationSmall(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env['NODE_OPTIONS']): void {
  const flag = youngGenerationFlag(execArgv, nodeOptions);
  if (flag !== null) setFlagsFromString(flag);
}
