import { setTimeout as delay } from 'node:timers/promises';
import type { SwarmPort } from '../engine/swarm-port.js';
import type { SwarmOperation } from '../plan/swarm-plan.js';

// The removals of a Swarm plan. A removed service's tasks shut down after the call returns, and until they
// are gone the manager refuses to remove a network (or a config, secret) they use: that refusal is retried
// every `pollMs` until the deadline; any other error fails the operation at once.

type RemovalOperation = Extract<SwarmOperation, { kind: 'remove-service' | 'remove-network' | 'remove-file-object' }>;

export async function performRemoval(operation: RemovalOperation, port: SwarmPort, context: { deadline: number; pollMs: number }): Promise<void> {
  for (;;) {
    try {
      await removeOnce(operation, port);
      return;
    } catch (error) {
      if (!isStillInUse(error) || Date.now() + context.pollMs > context.deadline) throw error;
      await delay(context.pollMs);
    }
  }
}

async function removeOnce(operation: RemovalOperation, port: SwarmPort): Promise<void> {
  switch (operation.kind) {
    case 'remove-service':
      return port.removeService(operation.serviceId);
    case 'remove-network':
      return port.removeNetwork(operation.networkId);
    case 'remove-file-object':
      return port.removeFileObject(operation.fileKind, operation.objectId);
  }
}

/** The manager's "still used" refusals (network, config, secret): worth another try once tasks are gone. */
export function isStillInUse(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /in use|active endpoints/i.test(message);
}
