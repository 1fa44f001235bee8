import { imageFor } from '../../actuators/container-spec.js';
import type { ProjectStatus } from '../../controller/project-status.js';
import type { Limits, PortBinding, Project } from '../../desired-state/model.js';
import { compareText } from '../../graph/project-graph.js';
import { serviceLiveState } from '../../graph/live-states.js';
import type { ObservedContainer } from '../../reconciler/observe/observed-state.js';
import type { PageService } from './page-snapshot.js';

// One overview row per desired service: its live state from the owned containers of one list call, what
// the manifests ask for (image, ports, limits) and what the controller remembers (restarts, backoff,
// suspension, rollback). Pure: the caller lists the containers.

const MiB = 1024 * 1024;

/** "127.0.0.1:18080->8080/tcp", ":8080->80/tcp" (every interface), "127.0.0.1:?->80/tcp" (engine picks). */
export function formatPort(port: PortBinding): string {
  const hostPort = port.hostPort === null ? '?' : port.hostPortEnd !== undefined ? `${port.hostPort}-${port.hostPortEnd}` : String(port.hostPort);
  return `${port.hostIp}:${hostPort}->${port.containerPort}/${port.protocol}`;
}

/** "mem 128 MiB, cpus 0.5, pids 100", or "-". */
export function formatLimits(limits: Limits): string {
  const parts: string[] = [];
  if (limits.memoryBytes !== null) parts.push(`mem ${formatBytes(limits.memoryBytes)}`);
  if (limits.nanoCpus !== null) parts.push(`cpus ${Number((limits.nanoCpus / 1e9).toFixed(3))}`);
  if (limits.pidsLimit !== null) parts.push(`pids ${limits.pidsLimit}`);
  return parts.length === 0 ? '-' : parts.join(', ');
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * MiB) === 0) return `${bytes / (1024 * MiB)} GiB`;
  if (bytes >= MiB) return `${Number((bytes / MiB).toFixed(1))} MiB`;
  return `${bytes} B`;
}

/** The worst health among the containers: unhealthy, starting, healthy, or "-" (no healthcheck). */
export function healthOf(containers: readonly ObservedContainer[]): string {
  for (const health of ['unhealthy', 'starting', 'healthy'] as const) {
    if (containers.some((container) => container.health === health)) return health;
  }
  return '-';
}

export function backoffText(healing: { crashLooping: boolean; backoffSeconds: number } | undefined): string {
  if (healing?.crashLooping) return `crash-looping, ${healing.backoffSeconds}s`;
  if (healing && healing.backoffSeconds > 0) return `${healing.backoffSeconds}s`;
  return '-';
}

export function serviceRows(project: Project, containers: readonly ObservedContainer[], status: ProjectStatus | undefined): PageService[] {
  return Object.values(project.services)
    .sort((left, right) => compareText(left.name, right.name))
    .map((service) => {
      const own = containers.filter((container) => container.owned && container.service === service.name);
      const live = serviceLiveState(service, own);
      const healing = status?.services[service.name];
      return {
        name: service.name,
        state: live.state,
        detail: live.detail,
        health: healthOf(own),
        replicas: service.replicas,
        image: imageFor(project, service),
        ports: service.ports.map(formatPort),
        limits: formatLimits(service.limits),
        restarts: healing ? healing.restarts : null,
        backoff: backoffText(healing),
        suspended: healing?.suspended ?? null,
        rolledBack: healing?.rolledBack ? healing.rolledBack.reason : null,
      };
    });
}
