import type { Service } from '../../desired-state/model.js';

// `network_mode: service:x`, `pid: service:x` and `ipc: service:x` join another service's container
// namespaces: the container needs x's container running when it is created, and must be replaced when
// x's container is (the namespace it joined is gone with the old one).

export function namespaceProviders(service: Service): string[] {
  const providers = [service.networkMode, service.pid, service.ipc]
    .filter((mode): mode is string => mode !== null && mode.startsWith('service:'))
    .map((mode) => mode.slice('service:'.length));
  return [...new Set(providers)].sort();
}
