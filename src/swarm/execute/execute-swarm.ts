import { setTimeout as delay } from 'node:timers/promises';
import type { SwarmPort } from '../engine/swarm-port.js';
import type { SwarmOperation, SwarmPlan } from '../plan/swarm-plan.js';
import { waitVerdict } from './wait-condition.js';

// Runs a Swarm plan: each operation once everything it depends on succeeded, independent ones together. An
// operation whose dependency failed is skipped. It decides nothing: the plan says what, Swarm places the tasks.

export type SwarmOutcome = { resourceId: string; result: 'succeeded' } | { resourceId: string; result: 'failed' | 'skipped'; message: string };

export interface SwarmExecuteOptions {
  timeoutMs: number;
  pollMs?: number;
  onOutcome?: (outcome: SwarmOutcome) => void;
}

export async function executeSwarm(plan: SwarmPlan, port: SwarmPort, options: SwarmExecuteOptions): Promise<SwarmOutcome[]> {
  const outcomes = new Map<string, SwarmOutcome>();
  const running = new Map<string, Promise<SwarmOutcome>>();
  const byId = new Map(plan.operations.map((operation) => [operation.resourceId, operation]));
  const deadline = Date.now() + options.timeoutMs;

  const run = (operation: SwarmOperation): Promise<SwarmOutcome> => {
    const existing = running.get(operation.resourceId);
    if (existing) return existing;
    const promise = (async (): Promise<SwarmOutcome> => {
      const dependencies = await Promise.all(operation.dependsOn.filter((id) => byId.has(id)).map((id) => run(byId.get(id)!)));
      const blocked = dependencies.find((outcome) => outcome.result !== 'succeeded');
      const outcome: SwarmOutcome = blocked
        ? { resourceId: operation.resourceId, result: 'skipped', message: `${blocked.resourceId} ${blocked.result}` }
        : await perform(operation, port, { deadline, pollMs: options.pollMs ?? 250, projectName: plan.projectName }).then(
            () => ({ resourceId: operation.resourceId, result: 'succeeded' as const }),
            (error: unknown) => ({ resourceId: operation.resourceId, result: 'failed' as const, message: error instanceof Error ? error.message : String(error) }),
          );
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

async function perform(operation: SwarmOperation, port: SwarmPort, context: { deadline: number; pollMs: number; projectName: string }): Promise<void> {
  switch (operation.kind) {
    case 'create-network':
      await port.createNetwork(operation.spec);
      return;
    case 'create-file-object':
      await port.createFileObject(operation.spec);
      return;
    case 'create-service':
      await port.createService(operation.spec);
      return;
    case 'update-service':
      await port.updateService(operation.serviceId, operation.version, operation.spec);
      return;
    case 'wait-service': {
      let pending = '';
      while (Date.now() < context.deadline) {
        const verdict = waitVerdict(await port.observeService(context.projectName, operation.service), operation.condition);
        if ('failed' in verdict) throw new Error(`${operation.service}: ${verdict.failed}`);
        if (verdict.done) return;
        pending = verdict.pending;
        await delay(context.pollMs);
      }
      throw new Error(`${operation.service}: not ${operation.condition} in time: ${pending}`);
    }
  }
}
