import { setTimeout as delay } from 'node:timers/promises';
import type { SwarmPort } from '../engine/swarm-port.js';
import type { SwarmOperation } from '../plan/swarm-plan.js';
import type { SwarmOutcome } from './swarm-outcome.js';
import { waitVerdict } from './wait-condition.js';

// A wait-service operation: re-read the service (its tasks and Swarm's UpdateStatus) every `pollMs` until
// wait-condition.ts says it is over, or the deadline passes. Swarm's rollback or pause of composelet's own
// update is that rollout's outcome (rolled-back, paused), not an error.

type WaitOperation = Extract<SwarmOperation, { kind: 'wait-service' }>;

export async function waitForService(operation: WaitOperation, port: SwarmPort, context: { deadline: number; pollMs: number; projectName: string }): Promise<SwarmOutcome> {
  const expectation = operation.specHash === undefined ? {} : { specHash: operation.specHash };
  let pending = '';
  for (;;) {
    const verdict = waitVerdict(await port.observeService(context.projectName, operation.service), operation.condition, expectation);
    if ('failed' in verdict) {
      if (verdict.kind !== 'failed' && operation.specHash !== undefined) {
        return {
          resourceId: operation.resourceId,
          result: verdict.kind,
          message: `${operation.service}: ${verdict.failed}`,
          service: operation.service,
          specHash: operation.specHash,
          previousSpecHash: operation.previousSpecHash ?? null,
        };
      }
      return { resourceId: operation.resourceId, result: 'failed', message: `${operation.service}: ${verdict.failed}` };
    }
    if (verdict.done) return { resourceId: operation.resourceId, result: 'succeeded' };
    pending = verdict.pending;
    if (Date.now() + context.pollMs > context.deadline) break;
    await delay(context.pollMs);
  }
  return { resourceId: operation.resourceId, result: 'failed', message: `${operation.service}: not ${operation.condition} in time: ${pending}` };
}
