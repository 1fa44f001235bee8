import type { Project, Service } from '../../desired-state/model.js';
import { recordDeployedSpecs } from '../../state/previous-specs.js';
import type { Plan } from '../plan/plan.js';
import type { ExecutionReport } from './execute.js';
import { deployedServices } from './rollout-outcomes.js';

// After a run (`apply` or a controller reconcile): the services whose desired spec now runs become the
// current spec, the one before them the previous (what `composelet rollback` goes back to).

export async function recordDeployed(project: Project, plan: Plan, report: ExecutionReport, stateDir: string): Promise<void> {
  const deployed = deployedServices(plan, report).map((name) => project.services[name]).filter((service): service is Service => service !== undefined);
  await recordDeployedSpecs(stateDir, project.name, deployed);
}
