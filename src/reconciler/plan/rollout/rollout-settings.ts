import type { Project, RolloutConfig, Service } from '../../../desired-state/model.js';
import { toInteger } from '../../../desired-state/schema/building-blocks.js';
import { parseDuration } from '../../../desired-state/syntax/duration.js';
import type { WaitCondition } from '../plan.js';
import type { FailureAction } from './rollout-gate.js';

// How one service is rolled out, from its `deploy.update_config`, under the project's
// `x-composelet.rollout`, under the service's own `x-composelet.rollout` (the last word wins), over
// composelet's defaults:
//   order          start-first where two containers can run side by side (no fixed host port, no
//                  container_name), else stop-first
//   monitor        until healthy when the service has a healthcheck, else running for 10 s; capped by
//                  the apply timeout
//   failure_action rollback (pause: stop where it failed, keep the batches done; continue: go on, each
//                  failed replica gets its own old container back)
//   parallelism    1 replica per batch; delay 0; max_failure_ratio 0
// A rollback (`composelet rollback`) reads `deploy.rollback_config` instead of `update_config` when it has one.

export interface RolloutSettings {
  order: 'stop-first' | 'start-first';
  /** What the replacement must reach: healthy with a healthcheck, else running. */
  condition: WaitCondition;
  /** How long it must then hold (seconds). */
  monitorSeconds: number;
  failureAction: FailureAction;
  parallelism: number;
  delaySeconds: number;
  maxFailureRatio: number;
}

export const DEFAULT_MONITOR_WITHOUT_HEALTHCHECK_SECONDS = 10;

type Layer = Partial<{ order: string; monitorNs: number | null; failureAction: string | null; parallelism: number | null; delayNs: number | null; maxFailureRatio: number | null }>;

export function rolloutSettings(
  project: Pick<Project, 'composelet'>,
  service: Service,
  options: { timeoutSeconds?: number; imageHasHealthcheck?: boolean; rollback?: boolean } = {},
): RolloutSettings {
  const deploy = options.rollback === true ? (service.rollbackConfig ?? service.updateConfig) : service.updateConfig;
  const layers: Layer[] = [fromDeploy(deploy), fromComposelet(project.composelet['rollout']), fromComposelet(service.composelet['rollout'])];
  const pick = <Key extends keyof Layer>(key: Key): Layer[Key] | undefined => {
    let value: Layer[Key] | undefined;
    for (const layer of layers) if (layer[key] !== undefined && layer[key] !== null) value = layer[key];
    return value;
  };
  const hasHealthcheck = service.healthcheck === null ? options.imageHasHealthcheck === true : service.healthcheck.test[0] !== 'NONE';
  const monitorNs = pick('monitorNs');
  const defaultMonitor = hasHealthcheck ? 0 : DEFAULT_MONITOR_WITHOUT_HEALTHCHECK_SECONDS;
  const monitor = monitorNs === undefined || monitorNs === null ? defaultMonitor : monitorNs / 1e9;
  const cap = options.timeoutSeconds ?? Number.POSITIVE_INFINITY;
  const order = pick('order');
  return {
    order: order === 'stop-first' || order === 'start-first' ? order : defaultOrder(service),
    condition: hasHealthcheck ? 'healthy' : 'running',
    monitorSeconds: Math.min(monitor, cap),
    failureAction: failureActionOf(pick('failureAction')),
    parallelism: Math.max(1, pick('parallelism') ?? 1),
    delaySeconds: (pick('delayNs') ?? 0) / 1e9,
    maxFailureRatio: pick('maxFailureRatio') ?? 0,
  };
}

function failureActionOf(value: string | null | undefined): FailureAction {
  return value === 'pause' || value === 'continue' ? value : 'rollback';
}

/** start-first needs the old and the new container side by side: no fixed host port, no container_name. */
export function defaultOrder(service: Pick<Service, 'containerName' | 'ports'>): 'stop-first' | 'start-first' {
  if (service.containerName !== null) return 'stop-first';
  return service.ports.some((port) => port.hostPort !== null) ? 'stop-first' : 'start-first';
}

function fromDeploy(config: RolloutConfig | null): Layer {
  if (config === null) return {};
  return {
    ...(config.order !== null ? { order: config.order } : {}),
    monitorNs: config.monitorNs,
    failureAction: config.failureAction,
    parallelism: config.parallelism,
    delayNs: config.delayNs,
    maxFailureRatio: config.maxFailureRatio,
  };
}

function fromComposelet(raw: unknown): Layer {
  if (raw === null || typeof raw !== 'object') return {};
  const settings = raw as Record<string, unknown>;
  const duration = (value: unknown) => {
    if (typeof value !== 'string' && typeof value !== 'number') return null;
    const parsed = parseDuration(value);
    return parsed.ok ? parsed.value : null;
  };
  const ratio = settings['max_failure_ratio'];
  return {
    ...(typeof settings['order'] === 'string' ? { order: settings['order'] } : {}),
    monitorNs: duration(settings['monitor']),
    failureAction: typeof settings['failure_action'] === 'string' ? settings['failure_action'] : null,
    parallelism: toInteger(settings['parallelism'] as number | string | undefined) ?? null,
    delayNs: duration(settings['delay']),
    maxFailureRatio: ratio === undefined ? null : Number(ratio),
  };
}
