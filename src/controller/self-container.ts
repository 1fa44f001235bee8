import { readFileSync } from 'node:fs';

// Which container this controller runs in, if any: the engine bind-mounts the container's own
// /etc/hostname (and hosts, resolv.conf) from /var/lib/docker/containers/<id>/, which mountinfo shows
// whatever the cgroup version; cgroup v1 also names the id in /proc/self/cgroup. Null outside a container.

const CONTAINER_DIRECTORY = /\/containers\/([0-9a-f]{64})\//;
const CGROUP_CONTAINER = /(?:\/docker\/|docker-)([0-9a-f]{64})(?:\.scope)?$/m;
const ENGINE_MOUNTS = new Set(['/etc/hostname', '/etc/hosts', '/etc/resolv.conf']);

export function selfContainerIdFrom(files: { mountinfo: string; cgroup: string }): string | null {
  for (const line of files.mountinfo.split('\n')) {
    // mountinfo fields: id, parent, major:minor, root, mount point, ...
    const [, , , root, mountPoint] = line.split(' ');
    if (root === undefined || mountPoint === undefined || !ENGINE_MOUNTS.has(mountPoint)) continue;
    const match = CONTAINER_DIRECTORY.exec(root);
    if (match?.[1]) return match[1];
  }
  return CGROUP_CONTAINER.exec(files.cgroup)?.[1] ?? null;
}

export function readSelfContainerId(): string | null {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };
  return selfContainerIdFrom({ mountinfo: read('/proc/self/mountinfo'), cgroup: read('/proc/self/cgroup') });
}
