import type { AuditEntry } from '../../audit/audit-entry.js';
import type { Project } from '../../desired-state/model.js';
import type { GitDelivery } from '../../git/git-delivery.js';
import type { ControllerMetrics } from '../../observability/metrics.js';
import type { Redactor } from '../../redaction/redact.js';
import { createDockerodeSwarm } from '../engine/dockerode-swarm.js';
import type { SwarmPort } from '../engine/swarm-port.js';
import { targetOf, type Target } from '../target.js';
import { SwarmReconciler } from './swarm-reconciler.js';

// The controller's Swarm side, made once at start: the port to the manager (DOCKER_HOST or the default
// socket), the reconciler for projects that target Swarm, and which projects those are.

export interface SwarmSide {
  port: SwarmPort;
  reconciler: SwarmReconciler;
  isSwarm(project: Pick<Project, 'composelet'>): boolean;
}

export function createSwarmReconciler(options: {
  dockerHost?: string;
  target?: Target;
  waitTimeoutMs?: number;
  delivery?: GitDelivery | null;
  metrics: ControllerMetrics;
  redactor: Redactor;
  audit: (entries: AuditEntry[]) => Promise<boolean>;
  /** Where held (failed) specs are remembered across restarts. */
  stateDir?: string;
  /** `run --prune`: Swarm objects the project no longer declares are removed. */
  prune?: boolean;
  /** Tests hand in a fake. */
  port?: SwarmPort;
}): SwarmSide {
  const port = options.port ?? createDockerodeSwarm(options.dockerHost ? { dockerHost: options.dockerHost } : {});
  const reconciler = new SwarmReconciler({
    port,
    metrics: options.metrics,
    redactor: options.redactor,
    timeoutMs: options.waitTimeoutMs ?? 120_000,
    audit: options.audit,
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
    ...(options.prune ? { prune: true } : {}),
    ...(options.delivery ? { onFailedRollouts: options.delivery.rolloutsFailed } : {}),
  });
  return { port, reconciler, isSwarm: (project) => targetOf(project, options.target) === 'swarm' };
}
