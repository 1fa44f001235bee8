import { SPEC_HASH } from '../model/swarm-labels.js';
import type { SwarmPlan } from '../plan/swarm-plan.js';

// A Swarm service whose desired spec failed its rollout is not tried again until that spec changes (no
// update loop: Swarm rolled it back, the next plan would update it again). Pure: the plan without the
// creates and updates of held services (service -> the Swarm spec hash that failed), and without the
// waits nothing left depends on.

export function withoutHeldServices(plan: SwarmPlan, held: Readonly<Record<string, string>>): { plan: SwarmPlan; heldServices: string[] } {
  const heldServices: string[] = [];
  const kept = plan.operations.filter((operation) => {
    if (operation.kind !== 'create-service' && operation.kind !== 'update-service') return true;
    const failedHash = held[operation.service];
    if (failedHash === undefined || operation.spec.Labels[SPEC_HASH] !== failedHash) return true;
    heldServices.push(operation.service);
    return false;
  });
  if (heldServices.length === 0) return { plan, heldServices };
  const needed = new Set(kept.filter((operation) => operation.kind !== 'wait-service').flatMap((operation) => [operation.resourceId, ...operation.dependsOn]));
  // A wait stays when a remaining change depends on it or it waits for a remaining change.
  const operations = kept.filter((operation) => operation.kind !== 'wait-service' || needed.has(operation.resourceId) || operation.dependsOn.some((id) => needed.has(id)));
  return { plan: { ...plan, operations }, heldServices: heldServices.sort() };
}
