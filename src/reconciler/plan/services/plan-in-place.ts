import { desiredLimits, limitDifferences, limitsHash } from '../../limits.js';
import { networkAttachments } from '../../naming.js';
import type { ObservedContainer } from '../../observe/observed-state.js';
import { hasCompleted, isOneShot } from '../../one-shot.js';
import { ids } from '../plan-builder.js';
import { stopTimeoutSeconds, type PlanContext, type ReplicaOutcome } from '../plan-context.js';
import type { ServiceInputs } from './plan-replica.js';

// A container whose spec and image match: converge it without replacing it. Limits are updated in place
// (never a recreate), missing networks are connected, a stopped container is started, except a one-shot
// service (restart "no" or "on-failure") that exited 0: it completed. A paused container is left paused.

export interface KeptContainer {
  number: number;
  name: string;
  container: ObservedContainer;
}

export function planInPlace(context: PlanContext, inputs: ServiceInputs, kept: KeptContainer): ReplicaOutcome {
  const { service } = inputs;
  const { name, container } = kept;
  const resourceId = `container:${name}`;
  const base = { resourceId, service: service.name, container: name } as const;

  // A replacement interrupted after the old container was removed leaves the new one under its temporary name.
  const rename =
    container.name === name
      ? null
      : context.builder.add({
          ...base,
          kind: 'rename-container',
          cause: `interrupted replacement: named ${container.name}`,
          dependsOn: [],
          container: container.name,
          newName: name,
        });

  const changes = limitChanges(inputs, container);
  if (changes !== null) {
    context.builder.add({
      ...base,
      kind: 'update-container',
      cause: changes.length > 0 ? `limits changed: ${changes.join(', ')}` : 'limits changed',
      dependsOn: ids(rename),
      limits: service.limits,
      restart: service.restart,
      changes,
    });
  }

  const connects = networkAttachments(context.project, service)
    .filter((attachment) => !container.networks.includes(attachment.name))
    .map((attachment) =>
      context.builder.add({
        ...base,
        kind: 'connect-network',
        cause: `not connected to network ${attachment.name}`,
        dependsOn: ids(rename, inputs.networkOperations.get(`network:${attachment.name}`)),
        network: attachment.name,
        aliases: attachment.aliases,
        ipv4Address: attachment.ipv4Address,
        ipv6Address: attachment.ipv6Address,
      }),
    );

  const restartCause = context.options.healing?.restartContainers?.[name];
  if (restartCause !== undefined && container.state === 'running') {
    const stop = context.builder.add({
      ...base,
      kind: 'stop-container',
      cause: restartCause,
      dependsOn: ids(rename, connects),
      signal: service.stopSignal,
      timeoutSeconds: stopTimeoutSeconds(service.stopGracePeriodNs),
      preStop: service.preStop,
    });
    const restart = context.builder.add({
      ...base,
      kind: 'start-container',
      cause: restartCause,
      dependsOn: ids(stop, inputs.gates()),
      postStart: service.postStart,
    });
    return { number: kept.number, name, startOperation: restart, recreated: false, restarted: true, restartable: false };
  }

  const startCause = startCauseOf(context, resourceId, container, inputs);
  if (startCause === null) {
    return {
      number: kept.number,
      name,
      startOperation: null,
      recreated: false,
      restarted: false,
      restartable: container.state === 'running',
    };
  }
  const held = context.options.healing?.holdStarts?.[service.name];
  if (held !== undefined) {
    context.builder.note({ resourceId, message: `${startCause}: not started now: ${held}` });
    return { number: kept.number, name, startOperation: null, recreated: false, restarted: false, restartable: false };
  }
  const start = context.builder.add({
    ...base,
    kind: 'start-container',
    cause: startCause,
    dependsOn: ids(rename, connects, inputs.gates()),
    postStart: service.postStart,
  });
  return { number: kept.number, name, startOperation: start, recreated: false, restarted: false, restartable: false };
}

/**
 * null: the limits match (or the label says they were applied); else the changes in words, empty when the
 * container was not inspected (observe fills `limits` only when the label differs).
 */
function limitChanges(inputs: ServiceInputs, container: ObservedContainer): string[] | null {
  // Inspected limits are the truth (the label only says what the container was created with).
  if (container.limits === null) return container.limitsHash === limitsHash(inputs.service) ? null : [];
  const differences = limitDifferences(desiredLimits(inputs.service), container.limits);
  return differences.length > 0 ? differences : null;
}

/** Why to start it, or null to leave it as it is (with a note when that is worth saying). */
function startCauseOf(context: PlanContext, resourceId: string, container: ObservedContainer, inputs: ServiceInputs): string | null {
  const note = (message: string) => context.builder.note({ resourceId, message });
  switch (container.state) {
    case 'running':
      if (container.health === 'unhealthy') note('running but unhealthy: left running');
      return null;
    case 'restarting':
      return null;
    case 'paused':
      note('paused: left paused (unpause it to resume)');
      return null;
    case 'removing':
      note('being removed by the engine: replaced on a later pass');
      return null;
    case 'created':
      if (isOneShot(inputs.service) && hasCompleted(container)) {
        note('completed under docker compose before it was adopted: nothing to do');
        return null;
      }
      return 'created, not started';
    case 'dead':
      return 'dead';
    case 'exited': {
      if (isOneShot(inputs.service) && hasCompleted(container)) {
        note('completed (exited 0): nothing to do');
        return null;
      }
      return `exited (${container.exitCode ?? 'unknown'})`;
    }
  }
}
