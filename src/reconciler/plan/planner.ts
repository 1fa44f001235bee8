import type { Project } from '../../desired-state/model.js';
import { takeInventory } from '../observe/container-inventory.js';
import type { ObservedState } from '../observe/observed-state.js';
import type { Plan } from './plan.js';
import { PlanBuilder } from './plan-builder.js';
import type { PlanContext, PlanOptions } from './plan-context.js';
import { DependencyGates } from './plan-gates.js';
import { planImages } from './services/plan-images.js';
import { notAdoptedProblem } from './ownership/not-adopted.js';
import { planOrphans } from './ownership/plan-orphans.js';
import { planResources } from './services/plan-resources.js';
import { planService } from './services/plan-service.js';
import { planDanglingVolumes } from './volumes/plan-anonymous-volumes.js';
import { servicesInDependencyOrder } from './service-order.js';

// Desired + observed -> the operations that converge one project, with no I/O: orphans first (they may
// hold names and ports), then networks and volumes, images, and the services in dependency order, so a
// service's creates and starts can depend on what was planned for its dependencies. Everything matching
// gives a plan with no operations.

export type { PlanOptions } from './plan-context.js';
export { planDown, type DownOptions } from './ownership/plan-down.js';

export function plan(desired: Project, observed: ObservedState, options: PlanOptions): Plan {
  const context: PlanContext = {
    project: desired,
    observed,
    options,
    builder: new PlanBuilder(desired.name),
    outcomes: new Map(),
    anonymousVolumeOperations: new Map(),
  };
  const services = servicesInDependencyOrder(desired);
  const inventory = takeInventory(desired, observed.containers);
  if (inventory.composeMade.size > 0 && options.adopt !== true) {
    context.builder.problem(notAdoptedProblem(desired.name, inventory));
    return context.builder.build();
  }
  if (options.suspended?.project) {
    context.builder.note({ resourceId: `project:${desired.name}`, message: options.suspended.project });
    return context.builder.build();
  }
  planOrphans(context, inventory);
  const resources = planResources(context, services);
  const images = planImages(context, services);
  const gates = new DependencyGates(context);
  for (const service of services) {
    context.outcomes.set(service.name, planService(context, service, { inventory, images, resources, gates }));
  }
  planDanglingVolumes(context);
  return context.builder.build();
}
