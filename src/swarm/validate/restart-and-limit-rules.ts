import type { Service } from '../../desired-state/model.js';
import { servicePath, type ManifestPath, type ServiceRule } from './swarm-rule.js';
import { rawServiceEntries, writesKey } from './written-keys.js';

// How restarts and limits behave on Swarm, where a task is replaced rather than updated: `restart:` becomes
// a restart policy, a dependency's recreate restarts nothing, and any change of limits is a rolling update.

const LIMIT_KEYS = ['mem_limit', 'mem_reservation', 'cpus', 'pids_limit'] as const;

export const RESTART_AND_LIMIT_RULES: ServiceRule[] = [
  {
    scope: 'service',
    key: 'restart',
    severity: 'warning',
    reason:
      'Swarm has no restart:, composelet maps it to deploy.restart_policy: "no" becomes condition any (none for a one-shot another service waits for), always and unless-stopped become any, on-failure[:N] becomes on-failure with max_attempts N',
    fix: 'write deploy.restart_policy (condition, delay, max_attempts, window) to say what Swarm should do',
    check: (service, project) => {
      if (service.swarm?.restartPolicy) return [];
      const written = writesKey(project, service.name, 'restart') || service.restart.name !== 'no';
      return written ? [servicePath(service, 'restart')] : [];
    },
  },
  {
    scope: 'service',
    key: 'depends_on.<service>.restart',
    severity: 'warning',
    reason: 'on one host composelet restarts a service when a dependency is recreated; a Swarm service update replaces only that service\'s tasks',
    fix: 'reconnect on failure in the application (or drop restart: true)',
    check: (service) =>
      Object.entries(service.dependsOn)
        .filter(([, dependency]) => dependency.restart)
        .map(([name]) => servicePath(service, 'depends_on', name, 'restart')),
  },
  {
    scope: 'service',
    key: 'deploy.resources.limits (in place)',
    severity: 'warning',
    reason: 'on one host a changed memory, cpus or pids limit is updated in place without a restart; Swarm replaces the tasks (a rolling update)',
    fix: 'nothing to change: expect a rolling update (deploy.update_config) when a limit changes',
    check: (service, project) => (hasLimits(service) ? [limitPath(service, project)] : []),
  },
  {
    scope: 'service',
    key: 'cpu_shares',
    severity: 'warning',
    reason: 'Swarm has no relative CPU weight (docker stack deploy rejects cpu_shares): the task runs without it',
    fix: 'use deploy.resources.limits.cpus and reservations.cpus',
    check: (service) => (service.limits.cpuShares !== null ? [servicePath(service, 'cpu_shares')] : []),
  },
  {
    scope: 'service',
    key: 'memswap_limit',
    severity: 'warning',
    reason: 'Swarm has no swap limit (docker stack deploy rejects memswap_limit): the task runs without it',
    fix: 'use deploy.resources.limits.memory',
    check: (service) => (service.limits.memswapBytes !== null ? [servicePath(service, 'memswap_limit')] : []),
  },
];

function hasLimits(service: Service): boolean {
  const { memoryBytes, memoryReservationBytes, nanoCpus, pidsLimit } = service.limits;
  return memoryBytes !== null || memoryReservationBytes !== null || nanoCpus !== null || pidsLimit !== null;
}

/** The short key the files write (mem_limit, cpus...), else deploy.resources. */
function limitPath(service: Service, project: Parameters<ServiceRule['check']>[1]): ManifestPath {
  for (const entry of rawServiceEntries(project, service.name).reverse()) {
    const key = LIMIT_KEYS.find((candidate) => candidate in entry);
    if (key) return servicePath(service, key);
  }
  return servicePath(service, 'deploy', 'resources', 'limits');
}
