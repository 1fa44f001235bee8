import type { OperationStatus } from '../reconciler/execute/execute.js';
import type { OperationKind } from '../reconciler/plan/plan.js';

// The closed sets of label values that metrics initialize at zero, so every series exists before its
// first event. The type checks below fail to compile when the planner or executor gains a value that
// is missing here.

export const RECONCILE_RESULTS = ['success', 'error', 'requeue', 'invalid_manifest', 'not_adopted'] as const;
export type ReconcileResult = (typeof RECONCILE_RESULTS)[number];

/** What became of a rollout (execute/rollout-outcomes.ts), as a metric label. */
export const ROLLOUT_RESULTS = ['succeeded', 'rolled_back', 'rollback_failed', 'not_started', 'paused'] as const;
export type RolloutMetricResult = (typeof ROLLOUT_RESULTS)[number];

export const ACTION_KINDS = [
  'build-image',
  'pull-image',
  'create-network',
  'create-volume',
  'create-container',
  'start-container',
  'stop-container',
  'remove-container',
  'rename-container',
  'update-container',
  'connect-network',
  'wait',
  'rollout-gate',
  'remove-network',
  'remove-volume',
  // Swarm plan operations (src/swarm/plan/swarm-plan.ts) the controller runs for projects that target Swarm
  'create-file-object',
  'create-service',
  'update-service',
  'wait-service',
  'remove-service',
  'remove-file-object',
] as const satisfies readonly (OperationKind | SwarmActionKind)[];
type SwarmActionKind = 'create-file-object' | 'create-service' | 'update-service' | 'wait-service' | 'remove-service' | 'remove-file-object';
export type ActionKind = (typeof ACTION_KINDS)[number];

export const ACTION_RESULTS = ['succeeded', 'failed', 'skipped', 'abandoned', 'unneeded'] as const satisfies readonly OperationStatus[];
export type ActionResult = (typeof ACTION_RESULTS)[number];

type MissingFrom<All, Listed> = Exclude<All, Listed>;
type AssertNever<T extends never> = T;
export type ActionKindsAreComplete = AssertNever<MissingFrom<OperationKind, (typeof ACTION_KINDS)[number]>>;
export type ActionResultsAreComplete = AssertNever<MissingFrom<OperationStatus, ActionResult>>;
