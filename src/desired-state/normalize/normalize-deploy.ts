import type { RestartPolicy, RestartPolicyName, RolloutConfig } from '../model.js';
import { toInteger } from '../schema/building-blocks.js';
import type { RawService } from '../schema/service.js';
import { parseDuration } from '../syntax/duration.js';

// The `deploy:` keys a single engine can honour, as Compose v2 reads them (create.go getRestartPolicy),
// and the Swarm-only ones, accepted with a warning that names them: a file written for Swarm still runs.

type Path = Array<string | number>;

export interface DeployContext {
  report: (path: Path, message: string) => void;
  warn: (path: Path, message: string, options?: { oneHostOnly?: boolean }) => void;
  at: (...path: Path) => Path;
}

/** The warnings about Swarm-only keys hold on one engine only: a Swarm project reads those keys. */
const ONE_HOST = { oneHostOnly: true };

/** deploy.restart_policy conditions (Swarm words) as the engine's restart policy names. */
export const RESTART_CONDITIONS: Record<string, RestartPolicyName> = { none: 'no', 'on-failure': 'on-failure', any: 'always' };

/**
 * `restart:`, overridden by `deploy.restart_policy` when both are given (Compose v2 sets the second over
 * the first). A condition left out is sent by v2 as "", which the engine reads as "no".
 */
export function normalizeRestart(raw: RawService, context: DeployContext): RestartPolicy {
  const policy = raw.deploy?.restart_policy;
  if (policy === undefined || policy === null) {
    if (raw.restart === undefined) return { name: 'no', maximumRetryCount: 0 };
    const [name, count] = raw.restart.split(':');
    return { name: name as RestartPolicyName, maximumRetryCount: count ? Number.parseInt(count, 10) : 0 };
  }
  if (raw.restart !== undefined) {
    context.warn(context.at('restart'), 'restart is overridden by deploy.restart_policy (as Compose v2 does): keep one of them');
  }
  const name = policy.condition === undefined ? 'no' : RESTART_CONDITIONS[policy.condition]!;
  const maximumRetryCount = toInteger(policy.max_attempts) ?? 0;
  if (maximumRetryCount < 0) {
    context.report(context.at('deploy', 'restart_policy', 'max_attempts'), `max_attempts cannot be negative (${maximumRetryCount})`);
  } else if (maximumRetryCount > 0 && name !== 'on-failure') {
    context.report(
      context.at('deploy', 'restart_policy', 'max_attempts'),
      `max_attempts applies to condition "on-failure" only; the engine rejects it with condition "${policy.condition ?? 'none'}"`,
    );
  }
  for (const key of ['delay', 'window'] as const) {
    if (policy[key] !== undefined) {
      context.warn(
        context.at('deploy', 'restart_policy', key),
        `deploy.restart_policy.${key} is a Swarm setting and is ignored: the engine restarts without a ${key}`,
        ONE_HOST,
      );
    }
  }
  return { name, maximumRetryCount: Math.max(0, maximumRetryCount) };
}

type RawRollout = NonNullable<NonNullable<RawService['deploy']>['update_config']>;

/** update_config / rollback_config: validated and kept (durations in ns) for rollouts; no effect yet. */
export function normalizeRollout(
  key: 'update_config' | 'rollback_config',
  rollout: RawRollout | null | undefined,
  context: DeployContext,
): RolloutConfig | null {
  if (rollout === undefined || rollout === null) return null;
  context.warn(
    context.at('deploy', key),
    `deploy.${key} is kept but has no effect yet: composelet replaces a service's containers one at a time`,
    ONE_HOST,
  );
  const parallelism = toInteger(rollout.parallelism) ?? null;
  if (parallelism !== null && parallelism < 0) {
    context.report(context.at('deploy', key, 'parallelism'), `parallelism cannot be negative (${parallelism})`);
  }
  const duration = (value: string | number | undefined) => {
    if (value === undefined) return null;
    const result = parseDuration(value);
    return result.ok ? result.value : null;
  };
  return {
    parallelism,
    delayNs: duration(rollout.delay),
    failureAction: rollout.failure_action ?? null,
    monitorNs: duration(rollout.monitor),
    maxFailureRatio: rollout.max_failure_ratio === undefined ? null : Number(rollout.max_failure_ratio),
    order: rollout.order ?? null,
  };
}

/** Swarm-only deploy keys: accepted, each named in a warning, with what composelet does instead. */
export function warnSwarmOnlyKeys(raw: RawService, context: DeployContext): void {
  const deploy = raw.deploy;
  if (deploy === undefined || deploy === null) return;
  if (deploy.mode !== undefined && deploy.mode !== 'replicated') {
    context.warn(
      context.at('deploy', 'mode'),
      `deploy.mode "${deploy.mode}" is a Swarm mode and is ignored: composelet runs the service's replicas on one engine`,
      ONE_HOST,
    );
  }
  const ignored: Record<string, string> = {
    endpoint_mode: 'services are reached by their DNS names on the project networks',
    labels: 'they label the Swarm service; use labels for the containers',
    placement: 'there is only one engine to place containers on',
  };
  for (const [key, instead] of Object.entries(ignored)) {
    if (deploy[key as keyof typeof deploy] !== undefined) {
      context.warn(context.at('deploy', key), `deploy.${key} is a Swarm setting and is ignored: ${instead}`, ONE_HOST);
    }
  }
  if (deploy.resources?.reservations?.cpus !== undefined) {
    // Kept in the model (cpuReservationNanoCpus) but only Swarm schedules by it; v2 drops it too.
  }
}
