import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

// Which controller this is: one per manifests root and engine. Its lock, lease and state file live under
// `<state dir>/controllers/<key>/`, the key a hash of the root's real path and the engine's address.

export interface ControllerIdentity {
  /** The manifests root, as a real path. */
  root: string;
  /** The engine's address (`unix:///var/run/docker.sock`, `tcp://host:2375`). */
  engine: string;
}

export function controllerKey(identity: ControllerIdentity): string {
  return createHash('sha256').update(`${identity.root}\n${identity.engine}`).digest('hex').slice(0, 16);
}

export interface ControllerPaths {
  directory: string;
  lock: string;
  lease: string;
  state: string;
}

export function controllerPaths(stateDir: string, identity: ControllerIdentity): ControllerPaths {
  const directory = join(stateDir, 'controllers', controllerKey(identity));
  return { directory, lock: join(directory, 'lock'), lease: join(directory, 'lease.json'), state: join(directory, 'state.json') };
}

/** This kernel's boot id (the same inside every container on it), or the host name where there is none. */
export function currentBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return `host:${hostname()}`;
  }
}
