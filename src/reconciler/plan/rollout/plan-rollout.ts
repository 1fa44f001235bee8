import type { ObservedContainer } from '../../observe/observed-state.js';
import type { PlanContext, ReplicaOutcome } from '../plan-context.js';
import { ids } from '../plan-builder.js';
import { addFallbacks, planOldRemoval, planReplaceWithFallback, type ReplaceWithFallback, type ReplacementSteps } from './plan-replace-with-fallback.js';
import type { ServiceInputs } from '../services/plan-replica.js';
import { rolloutSettings, type RolloutSettings } from './rollout-settings.js';

// The rollout of one service: each running replica whose spec changed is replaced with a way back
// (plan-replace-with-fallback.ts), `parallelism` replicas per batch, each batch after the previous one
// proved itself. The old containers are removed only once every batch proved itself, and the fallbacks
// cover every batch: a failing batch rolls back the batches before it. A rollout a crash interrupted (the
// old container renamed aside, its replacement running under the final name) is resumed: the replacement
// is watched again, with the same way back.

interface Planned {
  replacement: ReplaceWithFallback;
  steps: ReplacementSteps;
}

export class ServiceRollout {
  private readonly planned: Planned[] = [];
  readonly settings: RolloutSettings;

  constructor(
    private readonly context: PlanContext,
    private readonly inputs: ServiceInputs,
    options: { imageHasHealthcheck: boolean },
  ) {
    const timeout = context.options.waitTimeoutSeconds;
    this.settings = rolloutSettings(context.project, inputs.service, {
      imageHasHealthcheck: options.imageHasHealthcheck,
      ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
    });
  }

  /** Replaces a running replica (or one an interrupted rollout left aside) in the next free batch slot. */
  replace(options: { number: number; name: string; old: ObservedContainer; cause: string; after?: number[] }): ReplicaOutcome {
    const replacement = this.replacementOf(options.number, options.name, options.old, options.cause, options.after ?? []);
    const steps = planReplaceWithFallback(this.context, this.inputs, replacement);
    this.planned.push({ replacement, steps });
    return { number: options.number, name: options.name, startOperation: steps.start, recreated: true, restarted: false, restartable: false };
  }

  /** An interrupted rollout whose replacement runs: watch it again, then remove the old one (or put it back). */
  resume(options: { number: number; name: string; aside: ObservedContainer }): ReplicaOutcome {
    const replacement = this.replacementOf(options.number, options.name, options.aside, 'rollout interrupted: the replacement is watched again', []);
    const proven = this.context.builder.add({
      kind: 'wait',
      resourceId: `container:${options.name}`,
      service: this.inputs.service.name,
      cause: replacement.proofCause,
      dependsOn: ids(this.previousBatchProofs()),
      container: options.name,
      condition: replacement.condition,
      timeoutSeconds: replacement.timeoutSeconds,
      monitorSeconds: replacement.monitorSeconds ?? 0,
    });
    // Nothing is created: the proof stands first in the chain.
    const steps: ReplacementSteps = { aside: null, create: proven, start: proven, proven, removeOld: null, connects: [], stopped: false, covered: [proven], fallbacks: [] };
    this.planned.push({ replacement: { ...replacement, withoutFallback: false }, steps });
    return { number: options.number, name: options.name, startOperation: proven, recreated: true, restarted: false, restartable: false };
  }

  /** The removals after every proof, the fallbacks covering every batch, and the plan's record of each. */
  finish(): void {
    if (this.planned.length === 0) return;
    const proofs = ids(...this.planned.map(({ steps }) => steps.proven));
    const covered = ids(...this.planned.map(({ steps }) => steps.covered));
    for (const { replacement, steps } of this.planned) {
      planOldRemoval(this.context, this.inputs, replacement, steps, replacement.withoutFallback === true ? [] : proofs);
    }
    for (const { replacement, steps } of this.planned) {
      addFallbacks(this.context, this.inputs, replacement, steps, covered);
      this.context.builder.rollout({
        service: this.inputs.service.name,
        number: replacement.number,
        name: replacement.name,
        oldContainerId: replacement.old.id,
        oldSpecHash: replacement.old.specHash,
        newSpecHash: this.inputs.service.specHash,
        covered,
        fallbacks: steps.fallbacks,
      });
    }
  }

  private replacementOf(number: number, name: string, old: ObservedContainer, cause: string, after: number[]): ReplaceWithFallback {
    const settings = this.settings;
    return {
      number,
      name,
      old,
      wasUp: true,
      cause,
      backCause: `rollout failed: ${name} comes back (${old.id.slice(0, 12)})`,
      proofCause:
        settings.monitorSeconds > 0
          ? `rollout: the replacement must stay ${settings.condition} for ${settings.monitorSeconds}s before the old container goes`
          : `rollout: the replacement must be ${settings.condition} before the old container goes`,
      removeCause: `rollout: replaced`,
      order: settings.order,
      condition: settings.condition,
      monitorSeconds: settings.monitorSeconds,
      timeoutSeconds: this.context.options.waitTimeoutSeconds ?? null,
      after: ids(after, this.previousBatchProofs()),
      withoutFallback: settings.failureAction === 'continue',
    };
  }

  /** The proofs of the batch before the one the next replica joins. */
  private previousBatchProofs(): number[] {
    const batch = Math.floor(this.planned.length / this.settings.parallelism);
    if (batch === 0) return [];
    const previous = this.planned.slice((batch - 1) * this.settings.parallelism, batch * this.settings.parallelism);
    return ids(...previous.map(({ steps }) => steps.proven ?? steps.start));
  }
}
