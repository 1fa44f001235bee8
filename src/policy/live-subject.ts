import type { ContainerInspect } from '../engine/engine-port.js';
import { COMPOSE_SERVICE } from '../reconciler/labels.js';
import { ONE_SHOT_RESTART_POLICIES } from '../reconciler/one-shot.js';
import type { HealthcheckPresence, PolicySubject, SubjectPort } from './subject.js';

// A live container as the rules see it, from its inspect: what the engine really runs, including what
// the image set (its USER, its HEALTHCHECK) and what was changed by hand.

type PortBindings = Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | undefined;


function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function portsFromBindings(bindings: PortBindings): SubjectPort[] {
  const ports: SubjectPort[] = [];
  for (const [key, hosts] of Object.entries(bindings ?? {})) {
    const [container = '', protocol = 'tcp'] = key.split('/');
    const containerPort = Number.parseInt(container, 10);
    if (!Number.isInteger(containerPort)) continue;
    for (const host of hosts ?? []) {
      const hostPort = host.HostPort && /^\d+$/.test(host.HostPort) ? Number.parseInt(host.HostPort, 10) : null;
      ports.push({ hostIp: host.HostIp ?? '', hostPort, containerPort, protocol });
    }
  }
  return ports.sort((left, right) => left.containerPort - right.containerPort || left.hostIp.localeCompare(right.hostIp));
}

function healthcheckOf(config: ContainerInspect['Config']): HealthcheckPresence {
  const healthcheck = config.Healthcheck as { Test?: string[] | null } | undefined;
  const test = healthcheck?.Test ?? [];
  if (test.length === 0) return 'not-declared';
  return test[0] === 'NONE' ? 'disabled' : 'declared';
}

function loggingOf(logConfig: unknown): PolicySubject['logging'] {
  const config = logConfig as { Type?: unknown; Config?: Record<string, unknown> | null } | undefined;
  const maxSize = config?.Config?.['max-size'];
  return { driver: text(config?.Type), maxSize: typeof maxSize === 'string' && maxSize !== '' ? maxSize : null };
}

export function subjectFromInspect(inspect: ContainerInspect): PolicySubject {
  const host = inspect.HostConfig;
  const securityOpt = Array.isArray(host.SecurityOpt) ? (host.SecurityOpt as unknown[]).filter((option): option is string => typeof option === 'string') : [];
  return {
    source: 'live',
    service: inspect.Config.Labels?.[COMPOSE_SERVICE] ?? null,
    container: inspect.Name.replace(/^\//, ''),
    privileged: host.Privileged === true,
    networkMode: text(host.NetworkMode),
    pid: text(host.PidMode),
    ipc: text(host.IpcMode),
    binds: (inspect.Mounts ?? [])
      .filter((mount) => mount.Type === 'bind')
      .map((mount) => ({ source: mount.Source, target: mount.Destination, readOnly: !mount.RW })),
    ports: portsFromBindings(host.PortBindings as PortBindings),
    memoryBytes: host.Memory ?? null,
    healthcheck: healthcheckOf(inspect.Config),
    oneShot: ONE_SHOT_RESTART_POLICIES.has(host.RestartPolicy?.Name ?? ''),
    literalEnvironmentKeys: null,
    securityOpt,
    user: text(inspect.Config.User),
    logging: loggingOf(host['LogConfig']),
  };
}
