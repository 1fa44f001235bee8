import type { OperationResult } from '../../execute/execute.js';
import type { RolloutGateOperation } from '../plan.js';

// The decisions between two batches of a rollout, as pure helpers: how many failed replicas a rollout
// tolerates (`max_failure_ratio`; `failure_action: continue` tolerates them all), and whether a gate
// passes once the proofs it watches have settled. The planner writes the numbers into the gate; the
// executor only counts (`gateVerdict`), as it does for fallbacks.

export type FailureAction = 'rollback' | 'pause' | 'continue';

/**
 * Failed replicas a rollout of `replicas` tolerates before its failure action applies: the rollout fails
 * only when the failed fraction exceeds `max_failure_ratio` (3 of 4 with 0.5: 0.75 > 0.5, it fails;
 * 2 of 4: it goes on). `continue` never stops the rollout.
 */
export function allowedFailures(settings: { failureAction: FailureAction; maxFailureRatio: number }, replicas: number): number {
  if (settings.failureAction === 'continue') return replicas;
  const ratio = Math.min(1, Math.max(0, settings.maxFailureRatio));
  // A small tolerance so that 0.3 x 10 counts as 3, not 2.9999.
  return Math.floor(ratio * replicas + 1e-9);
}

/**
 * Whether a gate can settle: `blocked` until every proof it watches has settled (any status); then it
 * fails when more of them did not succeed than it tolerates, with the count in the message, else it is
 * `ready` (it then holds the next batch for its delay).
 */
export function gateVerdict(
  gate: Pick<RolloutGateOperation, 'watched' | 'maxFailures' | 'replicas' | 'maxFailureRatio'>,
  results: ReadonlyMap<number, Pick<OperationResult, 'status'>>,
): 'blocked' | 'ready' | { status: 'failed'; error: string } {
  const statuses = gate.watched.map((id) => results.get(id)?.status);
  if (statuses.some((status) => status === undefined)) return 'blocked';
  const failures = statuses.filter((status) => status !== 'succeeded').length;
  if (failures <= gate.maxFailures) return 'ready';
  const tolerated = gate.maxFailures === 0 ? 'none tolerated' : `max_failure_ratio ${gate.maxFailureRatio} tolerates ${gate.maxFailures}`;
  return { status: 'failed', error: `rollout stopped: ${failures} of ${gate.replicas} replicas failed (${tolerated})` };
}
