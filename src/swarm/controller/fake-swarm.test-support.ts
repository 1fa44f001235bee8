import type { SwarmPort } from '../engine/swarm-port.js';
import type { ServiceSpec } from '../mapping/swarm-types.js';
import type { ObservedSwarm, ObservedSwarmService } from '../observe/observed-swarm.js';
import { templateHash } from '../observe/template-hash.js';

// An in-memory Swarm for the controller's tests: what is created runs at once (one running task per replica
// on node n1), every write is recorded, and a service can be made to fail its next update (Swarm rolls back).

export interface FakeSwarm extends SwarmPort {
  writes: string[];
  services: ObservedSwarmService[];
  /** The next update of this service (by Swarm name) ends rollback_completed. */
  failNextUpdateOf(name: string): void;
  removeNetwork(networkId: string): Promise<void>;
}

export function fakeSwarm(): FakeSwarm {
  const services: ObservedSwarmService[] = [];
  const networks: ObservedSwarm['networks'] = [];
  const failing = new Set<string>();
  const writes: string[] = [];
  let ids = 0;
  const drop = (list: Array<{ id: string }>, id: string) => {
    const index = list.findIndex((item) => item.id === id);
    if (index >= 0) list.splice(index, 1);
  };
  const running = (spec: ServiceSpec) => {
    const replicas = (spec.Mode as { Replicated?: { Replicas?: number } }).Replicated?.Replicas ?? 1;
    return Array.from({ length: replicas }, (_, index) => ({
      id: `t${index}`, nodeId: 'n1', desiredState: 'running', state: 'running', message: '', error: null, exitCode: null, containerId: null, specVersion: null, createdAt: '2026-01-01T00:00:00Z',
      templateHash: templateHash(spec.TaskTemplate as unknown as Record<string, unknown>),
    }));
  };
  const port: FakeSwarm = {
    writes,
    services,
    failNextUpdateOf: (name) => failing.add(name),
    observe: async () => ({
      services: structuredClone(services),
      networks: structuredClone(networks),
      configs: [],
      secrets: [],
      nodes: [{ id: 'n1', hostname: 'node1', role: 'manager', availability: 'active', state: 'ready' }],
    }),
    observeService: async (_project, name) => structuredClone(services.find((service) => service.name.endsWith(`_${name}`)) ?? null),
    createNetwork: async (spec) => {
      writes.push(`create-network ${spec.Name}`);
      networks.push({ id: `net${++ids}`, name: spec.Name, labels: spec.Labels });
      return `net${ids}`;
    },
    createFileObject: async (spec) => {
      writes.push(`create-${spec.kind} ${spec.Name}`);
      return `obj${++ids}`;
    },
    createService: async (spec) => {
      writes.push(`create-service ${spec.Name}`);
      services.push({ id: `svc${++ids}`, name: spec.Name, version: 1, labels: spec.Labels, spec: structuredClone(spec) as unknown as Record<string, unknown>, updateState: null, updateMessage: null, tasks: running(spec), templateHash: templateHash(spec.TaskTemplate as unknown as Record<string, unknown>) });
      return `svc${ids}`;
    },
    updateService: async (serviceId, _version, spec) => {
      writes.push(`update-service ${spec.Name}`);
      const service = services.find((candidate) => candidate.id === serviceId)!;
      service.version += 1;
      if (failing.delete(spec.Name)) {
        service.updateState = 'rollback_completed';
        service.updateMessage = 'rollback completed: task exited (1)';
        return;
      }
      Object.assign(service, { labels: spec.Labels, spec: structuredClone(spec), updateState: 'completed', tasks: running(spec), templateHash: templateHash(spec.TaskTemplate as unknown as Record<string, unknown>) });
    },
    removeService: async (serviceId) => {
      writes.push(`remove-service ${serviceId}`);
      drop(services, serviceId);
    },
    removeNetwork: async (networkId) => {
      writes.push(`remove-network ${networkId}`);
      drop(networks, networkId);
    },
    removeFileObject: async (kind, id) => {
      writes.push(`remove-${kind} ${id}`);
    },
  };
  return port;
}
