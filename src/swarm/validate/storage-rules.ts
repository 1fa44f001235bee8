import type { Mount, Project, Service } from '../../desired-state/model.js';
import { servicePath, type ManifestPath, type ServiceRule } from './swarm-rule.js';
import { asRecord, rawServiceEntries } from './written-keys.js';

// Storage on a cluster: a task may land on any node, and a bind path, an anonymous volume or a local named
// volume lives on one node only; nothing moves it with the task.

export const STORAGE_RULES: ServiceRule[] = [
  {
    scope: 'service',
    key: 'volumes (bind mount)',
    severity: 'warning',
    reason: 'the host path must exist on whichever node the task lands on, and each node has its own copy',
    fix: 'use a config or secret for files, a volume for data, or pin the service with deploy.placement.constraints',
    check: (service, project) => mountPaths(service, project, (mount) => mount.type === 'bind'),
  },
  {
    scope: 'service',
    key: 'volumes (anonymous)',
    severity: 'warning',
    reason: 'an anonymous volume is created on the node that runs the task and is not moved with it: a rescheduled task starts empty',
    fix: 'use a named volume on a shared driver for data to keep, or a tmpfs for scratch space',
    check: (service, project) => mountPaths(service, project, (mount) => mount.type === 'volume' && mount.source === null),
  },
  {
    scope: 'service',
    key: 'volumes (named, local driver)',
    severity: 'warning',
    reason: 'a local volume exists on each node separately: data written on one node is not there when the task moves',
    fix: 'use a volume driver shared by the nodes (NFS, a cluster volume plugin), or pin the service with deploy.placement.constraints',
    check: (service, project) =>
      mountPaths(service, project, (mount) => {
        if (mount.type !== 'volume' || mount.source === null) return false;
        const volume = project.volumes[mount.source];
        return volume !== undefined && !volume.external && (volume.driver === null || volume.driver === 'local');
      }),
  },
  {
    scope: 'service',
    key: 'volumes_from',
    severity: 'error',
    reason: 'the other container\'s volumes are on its node only (docker stack deploy rejects volumes_from)',
    fix: 'declare the volume at the top level and mount it in each service that shares it',
    check: (service) => (service.volumesFrom.length > 0 ? [servicePath(service, 'volumes_from')] : []),
  },
];

/** The matching mounts, each at its entry in the last file that mounts its target (the model sorts mounts;
 * the files keep the order written), else at `volumes`. */
function mountPaths(service: Service, project: Project, matches: (mount: Mount) => boolean): ManifestPath[] {
  const written = rawServiceEntries(project, service.name)
    .map((entry) => entry['volumes'])
    .filter(Array.isArray) as unknown[][];
  return service.volumes.filter(matches).map((mount) => {
    for (const entries of [...written].reverse()) {
      const index = entries.findIndex((entry) => writtenTarget(entry) === mount.target);
      if (index >= 0) return servicePath(service, 'volumes', index);
    }
    return servicePath(service, 'volumes');
  });
}

/** The container path of a volumes entry: `target` of the long syntax; the second part of SOURCE:TARGET[:MODE], or the whole of a short entry without a source. */
export function writtenTarget(entry: unknown): string | undefined {
  const record = asRecord(entry);
  if (record) return typeof record['target'] === 'string' ? record['target'] : undefined;
  if (typeof entry !== 'string') return undefined;
  const parts = entry.split(':');
  return parts.length === 1 ? parts[0] : parts[1];
}
