import type { RawService } from '../../desired-state/schema/service.js';
import { listOrDictToMap, toInteger } from '../../desired-state/schema/building-blocks.js';
import { parseDuration } from '../../desired-state/syntax/duration.js';

// The `deploy:` keys only Swarm reads, kept in the model as written (durations in ns) so a Swarm project
// passes them to Swarm as they are. A single engine ignores them (normalize-deploy warns); they are not
// part of the spec hash. Absent when the service writes none of them.

export interface SwarmDeploy {
  mode: 'replicated' | 'global' | 'replicated-job' | 'global-job' | null;
  endpointMode: 'vip' | 'dnsrr' | null;
  /** deploy.labels: on the Swarm service (labels: go on its containers). Sorted. */
  labels: Record<string, string>;
  placement: { constraints: string[]; preferences: string[]; maxReplicasPerNode: number | null } | null;
  /** deploy.restart_policy as Swarm reads it; null when not written (then Swarm's default, or `restart:`). */
  restartPolicy: { condition: 'none' | 'on-failure' | 'any' | null; delayNs: number | null; maxAttempts: number | null; windowNs: number | null } | null;
  /** Long-syntax ports written with `mode: host`: Swarm publishes them on the task's node only, not
   * through the ingress routing mesh. Matched to the model's port bindings by target, protocol and
   * published port. Absent when there are none. */
  hostModePorts?: HostModePort[];
}

export interface HostModePort {
  target: number;
  protocol: string;
  published: number | null;
}

export function normalizeSwarmDeploy(raw: Pick<RawService, 'deploy' | 'ports'>): SwarmDeploy | undefined {
  const hostModePorts = hostModePortsOf(raw.ports);
  const deploy = raw.deploy ?? {};
  const written = ['mode', 'endpoint_mode', 'labels', 'placement', 'restart_policy'].some((key) => deploy[key as keyof typeof deploy] !== undefined);
  if (!written && hostModePorts.length === 0) return undefined;
  const labels = Object.fromEntries(
    Object.entries(listOrDictToMap(deploy.labels))
      .map(([key, value]): [string, string] => [key, value === null ? '' : String(value)])
      .sort(([left], [right]) => left.localeCompare(right)),
  );
  const placement = deploy.placement
    ? {
        constraints: [...(deploy.placement.constraints ?? [])],
        preferences: (deploy.placement.preferences ?? []).map((preference) => preference.spread ?? '').filter(Boolean),
        maxReplicasPerNode: toInteger(deploy.placement.max_replicas_per_node) ?? null,
      }
    : null;
  const policy = deploy.restart_policy;
  return {
    mode: deploy.mode ?? null,
    endpointMode: deploy.endpoint_mode ?? null,
    labels,
    placement,
    restartPolicy: policy
      ? {
          condition: policy.condition ?? null,
          delayNs: durationOrNull(policy.delay),
          maxAttempts: toInteger(policy.max_attempts) ?? null,
          windowNs: durationOrNull(policy.window),
        }
      : null,
    ...(hostModePorts.length > 0 ? { hostModePorts } : {}),
  };
}

function hostModePortsOf(ports: RawService['ports']): HostModePort[] {
  const found: HostModePort[] = [];
  for (const entry of ports ?? []) {
    if (typeof entry !== 'object' || entry === null || entry.mode !== 'host') continue;
    const target = toInteger(entry.target);
    if (target === undefined) continue;
    const published = entry.published === undefined || entry.published === null || entry.published === '' ? null : toInteger(entry.published) ?? null;
    found.push({ target, protocol: entry.protocol ?? 'tcp', published });
  }
  return found;
}

function durationOrNull(value: string | number | undefined): number | null {
  if (value === undefined) return null;
  const parsed = parseDuration(value);
  return parsed.ok ? parsed.value : null;
}
