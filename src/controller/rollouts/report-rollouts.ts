import type { Logger } from 'pino';
import type { Project } from '../../desired-state/model.js';
import type { ControllerEvent } from '../../notify/events.js';
import type { ControllerMetrics } from '../../observability/metrics.js';
import type { RolloutMetricResult } from '../../observability/metric-label-values.js';
import { describeOutcome, failureChanges, type RolloutOutcome, type RolloutResult } from '../../reconciler/execute/rollout-outcomes.js';
import { redactEvidence } from '../../redaction/redact-evidence.js';
import type { Redactor } from '../../redaction/redact.js';
import { updateFailedRollouts, type FailedRollouts } from '../../state/failed-rollouts.js';

// What the controller does with the outcomes of a run's rollouts: log each one (a rollback with its
// redacted evidence), count it in `composelet_rollouts_total`, notify a rollback, and update the failure
// memory (a failed spec is not retried until it changes). Returns the memory as it now stands.

export interface RolloutReporting {
  stateDir: string;
  metrics: ControllerMetrics;
  notify?: (event: ControllerEvent) => void;
  logger: Logger;
  redactor: Redactor;
  now: () => number;
}

const METRIC_RESULTS: Record<RolloutResult, RolloutMetricResult> = {
  succeeded: 'succeeded',
  'rolled-back': 'rolled_back',
  'rollback-failed': 'rollback_failed',
  'not-started': 'not_started',
  paused: 'paused',
};

/** The outcome's message, with what a container printed as evidence redacted. */
export function redactedDescription(project: Project, outcome: RolloutOutcome, redactor: Redactor): string {
  const service = project.services[outcome.rollout.service];
  const message = describeOutcome(outcome);
  return service ? redactEvidence(message, service, redactor) : redactor.text(message);
}

export async function reportRollouts(project: Project, outcomes: readonly RolloutOutcome[], options: RolloutReporting): Promise<FailedRollouts | null> {
  if (outcomes.length === 0) return null;
  const notified = new Set<string>();
  for (const outcome of outcomes) {
    const { service } = outcome.rollout;
    const message = redactedDescription(project, outcome, options.redactor);
    options.metrics.recordRollout(project.name, service, METRIC_RESULTS[outcome.result]);
    if (outcome.result === 'succeeded') options.logger.info({ service, container: outcome.rollout.name }, message);
    else options.logger.error({ service, container: outcome.rollout.name, result: outcome.result }, message);
    if ((outcome.result === 'rolled-back' || outcome.result === 'rollback-failed') && !notified.has(service)) {
      notified.add(service); // one notification per service, however many replicas rolled back
      options.notify?.({ kind: 'rollout-rolled-back', project: project.name, service, result: outcome.result, reason: message });
    }
  }
  const changes = failureChanges(outcomes, new Date(options.now()));
  for (const [service, failure] of Object.entries(changes.failed)) {
    const model = project.services[service];
    failure.reason = model ? redactEvidence(failure.reason, model, options.redactor) : options.redactor.text(failure.reason);
  }
  return updateFailedRollouts(options.stateDir, project.name, changes);
}
