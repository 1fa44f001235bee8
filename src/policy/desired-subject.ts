import type { Healthcheck, Service } from '../desired-state/model.js';
import type { HealthcheckPresence, PolicySubject } from './subject.js';
import { isOneShot } from '../reconciler/one-shot.js';

// A desired service as the rules see it.


export function healthcheckPresence(healthcheck: Healthcheck | null): HealthcheckPresence {
  if (healthcheck === null) return 'not-declared';
  return healthcheck.test[0] === 'NONE' ? 'disabled' : 'declared';
}

/** `literalEnvironmentKeys`: the service's environment keys written literally in the compose files. */
export function subjectFromService(service: Service, literalEnvironmentKeys: string[]): PolicySubject {
  return {
    source: 'desired',
    service: service.name,
    container: null,
    privileged: service.privileged,
    networkMode: service.networkMode,
    pid: service.pid,
    ipc: service.ipc,
    binds: service.volumes
      .filter((mount) => mount.type === 'bind' && mount.source !== null)
      .map((mount) => ({ source: mount.source!, target: mount.target, readOnly: mount.readOnly })),
    ports: service.ports.map((port) => ({ ...port })),
    memoryBytes: service.limits.memoryBytes,
    healthcheck: healthcheckPresence(service.healthcheck),
    oneShot: isOneShot(service),
    literalEnvironmentKeys,
    securityOpt: service.securityOpt,
    user: service.user,
    logging: { driver: service.logging?.driver || null, maxSize: service.logging?.options['max-size'] ?? null },
  };
}

