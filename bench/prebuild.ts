import { loadDesiredState } from '../src/desired-state/load.js';
import type { EnginePort } from '../src/engine/engine-port.js';
import { planProject, runPlan } from '../src/reconciler/converge.js';

// Builds the images a stack builds (`build:`), before anything is timed: cold converge measures starting
// a stack, not building its images, and both tools then find the image present. Only the plan's
// build-image operations run; they depend on nothing.

export async function prebuildImages(engine: EnginePort, directory: string): Promise<number> {
  const loaded = loadDesiredState(directory, { environment: process.env });
  if (!loaded.ok) throw new Error(`${directory}: manifest rejected: ${JSON.stringify(loaded.issues.slice(0, 2))}`);
  let built = 0;
  for (const project of loaded.state.projects) {
    const planned = await planProject(engine, project, { prune: false });
    const builds = planned.plan.operations.filter((operation) => operation.kind === 'build-image');
    if (builds.length === 0) continue;
    const report = await runPlan(engine, { ...planned, plan: { ...planned.plan, operations: builds } });
    if (report.totals.failed > 0) throw new Error(`${directory}: prebuilding ${builds.map((build) => build.resourceId).join(', ')} failed`);
    built += builds.length;
  }
  return built;
}
