import type { SwarmPort } from '../engine/swarm-port.js';
import type { SwarmOperation, SwarmPlan } from '../plan/swarm-plan.js';
import type { SwarmOutcome } from './swarm-outcome.js';
import { performRemoval } from './perform-removal.js';
import { waitForService } from './wait-service.js';

export type { SwarmOutcome, SwarmResult } from './swarm-outcome.js';

// Runs a Swarm plan: each operation once everything it depends on succeeded, independent ones together. An
// operation whose dependency did not succeed (failed, skipped, rolled back, paused) is skipped, so the
// dependents of a service Swarm rolled back never start against it. It decides nothing: the plan says what,
// Swarm places the tasks and rolls them.

export interface SwarmExecuteOptions {
  timeoutMs: number;
  /** How often a wait re-reads the service; 250 ms unless given. */
  pollMs?: number;
  onOutcome?: (outcome: SwarmOutcome) => void;
}

export async function executeSwarm(plan: SwarmPlan, port: SwarmPort, options: SwarmExecuteOptions): Promise<SwarmOutcome[]> {
  const outcomes = new Map<string, SwarmOutcome>();
  const running = new Map<string, Promise<SwarmOutcome>>();
  const byId = new Map(plan.operations.map((operation) => [operation.resourceId, operation]));
  const context = { deadline: Date.now() + options.timeoutMs, pollMs: options.pollMs ?? 250, projectName: plan.projectName };

  const run = (operation: SwarmOperation): Promise<SwarmOutcome> => {
    const existing = running.get(operation.resourceId);
    if (existing) return existing;
    const promise = (async (): Promise<SwarmOutcome> => {
      const dependencies = await Promise.all(operation.dependsOn.filter((id) => byId.has(id)).map((id) => run(byId.get(id)!)));
      const blocked = dependencies.find((outcome) => outcome.result !== 'succeeded');
      const outcome: SwarmOutcome = blocked
        ? { resourceId: operation.resourceId, result: 'skipped', message: `${blocked.resourceId} ${blocked.result}` }
        : await perform(operation, port, context).catch((error: unknown) => ({
            resourceId: operation.resourceId,
            result: 'failed' as const,
            message: error instanceof Error ? error.message : String(error),
          }));
      outcomes.set(operation.resourceId, outcome);
      options.onOutcome?.(outcome);
      return outcome;
    })();
    running.set(operation.resourceId, promise);
    return promise;
  };
  await Promise.all(plan.operations.map(run));
  return plan.operations.map((operation) => outcomes.get(operation.resourceId)!);
}

async function perform(operation: SwarmOperation, port: SwarmPort, context: { deadline: number; pollMs: number; projectName: string }): Promise<SwarmOutcome> {
  const succeeded: SwarmOutcome = { resourceId: operation.resourceId, result: 'succeeded' };
  switch (operation.kind) {
    case 'create-network':
      await port.createNetwork(operation.spec);
      return succeeded;
    case 'create-file-object':
      await port.createFileObject(operation.spec);
      return succeeded;
    case 'create-service':
      await port.createService(operation.spec);
      return succeeded;
    case 'update-service':
      await port.updateService(operation.serviceId, operation.version, operation.spec);
      return succeeded;
    case 'wait-service':
      return waitForService(operation, port, context);
    case 'remove-service':
    case 'remove-network':
    case 'remove-file-object':
      await performRemoval(operation, port, context);
      return succeeded;
  }
}
