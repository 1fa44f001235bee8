import type { ObservedContainer } from '../../observe/observed-state.js';
import type { PlanContext, ReplicaOutcome } from '../plan-context.js';
import { ids } from '../plan-builder.js';
import { addFallbacks, planOldRemoval, planReplaceWithFallback, type ReplaceWithFallback, type ReplacementSteps } from './plan-replace-with-fallback.js';
import type { ServiceInputs } from '../services/plan-replica.js';
import { rolloutSettings, type RolloutSettings } from './rollout-settings.js';
import { allowedFailures } from './rollout-gate.js';

// The rollout of one service: each running replica whose spec changed is replaced with a way back
// (plan-replace-with-fallback.ts), `parallelism` replicas per batch. A replica whose own steps fail gets its
// old container back at once. Several replicas get a gate after each batch (rollout-gate.ts): it waits until
// the batch's proofs settled (each held for the monitor), counts the failures so far against
// `max_failure_ratio`, and holds the next batch for `delay`. A gate that fails applies `failure_action`:
//   rollback  every replica of this and the earlier batches gets its old container back
//   pause     this batch goes back; the batches before stay on the new spec; later ones never start
//   continue  gates never fail: the rollout goes on, each failed replica alone went back
// The old containers are removed once the gate that decides their fate passed (the last gate for
// rollback). A rollout a crash interrupted (the old container renamed aside, its replacement running under
// the final name) is resumed: the replacement is watched again, with the same way back.

interface Planned {
  replacement: ReplaceWithFallback;
  steps: ReplacementSteps;
  outcome: ReplicaOutcome;
  batch: number;
}

export class ServiceRollout {
  private readonly planned: Planned[] = [];
  /** The gate after each batch, by batch index (planned when the next batch needs it, the last in finish). */
  private readonly gates: number[] = [];
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
      ...(context.options.rollback === true ? { rollback: true } : {}),
    });
  }

  /** Replaces a running replica (or one an interrupted rollout left aside) in the next free batch slot. */
  replace(options: { number: number; name: string; old: ObservedContainer; cause: string; after?: number[] }): ReplicaOutcome {
    const batch = this.nextBatch();
    const replacement = this.replacementOf(options.number, options.name, options.old, options.cause, ids(options.after ?? [], this.gateBefore(batch)));
    const steps = planReplaceWithFallback(this.context, this.inputs, replacement);
    const outcome: ReplicaOutcome = { number: options.number, name: options.name, startOperation: steps.start, provenOperation: steps.proven, recreated: true, restarted: false, restartable: false };
    this.planned.push({ replacement, steps, outcome, batch });
    return outcome;
  }

  /** An interrupted rollout whose replacement runs: watch it again, then remove the old one (or put it back). */
  resume(options: { number: number; name: string; aside: ObservedContainer }): ReplicaOutcome {
    const batch = this.nextBatch();
    const replacement = this.replacementOf(options.number, options.name, options.aside, 'rollout interrupted: the replacement is watched again', []);
    const proven = this.context.builder.add({
      kind: 'wait',
      resourceId: `container:${options.name}`,
      service: this.inputs.service.name,
      cause: replacement.proofCause,
      dependsOn: this.gateBefore(batch),
      container: options.name,
      condition: replacement.condition,
      timeoutSeconds: replacement.timeoutSeconds,
      monitorSeconds: replacement.monitorSeconds ?? 0,
    });
    // Nothing is created: the proof stands first in the chain.
    const steps: ReplacementSteps = { aside: null, create: proven, start: proven, proven, removeOld: null, connects: [], stopped: false, covered: [proven], fallbacks: [] };
    const outcome: ReplicaOutcome = { number: options.number, name: options.name, startOperation: proven, provenOperation: proven, recreated: true, restarted: false, restartable: false };
    this.planned.push({ replacement, steps, outcome, batch });
    return outcome;
  }

  /** The last gate, the removals, the fallbacks, and the plan's record of each replica. */
  finish(): void {
    if (this.planned.length === 0) return;
    // One replica needs no gate: its own way back is the whole rollback.
    const gated = this.planned.length > 1;
    if (gated) this.gateAfter(this.planned.at(-1)!.batch, { last: true });
    const action = this.settings.failureAction;
    for (const planned of this.planned) {
      const deciding = gated ? this.decidingGates(planned.batch) : [];
      // rollback: the old containers stay until the last gate passed; pause and continue: until their own batch's.
      const decisive = action === 'rollback' ? deciding.slice(-1) : deciding.slice(0, 1);
      planOldRemoval(this.context, this.inputs, planned.replacement, planned.steps, decisive);
      planned.outcome.provenOperation = decisive[0] ?? planned.steps.proven;
    }
    for (const { replacement, steps, batch } of this.planned) {
      // Its own way back, at once when one of its own steps fails.
      addFallbacks(this.context, this.inputs, replacement, steps, steps.covered);
      // The batch's way back when a gate fails: only for a replica that proved itself (else it went back already).
      const deciding = gated && action !== 'continue' ? (action === 'pause' ? this.decidingGates(batch).slice(0, 1) : this.decidingGates(batch)) : [];
      if (deciding.length > 0) addFallbacks(this.context, this.inputs, replacement, steps, deciding, { after: ids(steps.proven) });
      this.context.builder.rollout({
        service: this.inputs.service.name,
        number: replacement.number,
        name: replacement.name,
        oldContainerId: replacement.old.id,
        oldSpecHash: replacement.old.specHash,
        newSpecHash: this.inputs.service.specHash,
        covered: ids(steps.covered, deciding),
        fallbacks: steps.fallbacks,
        failureAction: action,
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
      after,
    };
  }

  private nextBatch(): number {
    return Math.floor(this.planned.length / this.settings.parallelism);
  }

  /** What the first steps of `batch` wait for: the gate after the batch before (none for the first). */
  private gateBefore(batch: number): number[] {
    return batch === 0 ? [] : [this.gateAfter(batch - 1, { last: false })];
  }

  /** The gates from `batch` on (each one can still send the batch back). */
  private decidingGates(batch: number): number[] {
    return this.gates.slice(batch);
  }

  /** The gate after `batch`: it watches every proof so far and follows the gate before it. */
  private gateAfter(batch: number, options: { last: boolean }): number {
    const known = this.gates[batch];
    if (known !== undefined) return known;
    const { service } = this.inputs;
    const { last } = options;
    const gate = this.context.builder.add({
      kind: 'rollout-gate',
      resourceId: `service:${service.name}`,
      service: service.name,
      cause: `rollout: batch ${batch + 1} must hold before ${last ? 'the old containers go' : 'the next batch'}`,
      dependsOn: ids(this.gates[batch - 1]),
      watched: ids(...this.planned.filter((planned) => planned.batch <= batch).map(({ steps }) => steps.proven)),
      maxFailures: allowedFailures(this.settings, service.replicas),
      maxFailureRatio: this.settings.maxFailureRatio,
      replicas: service.replicas,
      delaySeconds: last ? 0 : this.settings.delaySeconds,
    });
    this.gates[batch] = gate;
    return gate;
  }
}
