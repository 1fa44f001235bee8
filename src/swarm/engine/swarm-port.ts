import type { ServiceSpec, NetworkSpec, FileObjectSpec } from '../mapping/swarm-types.js';
import type { ObservedSwarm } from '../observe/observed-swarm.js';

// The engine calls the Swarm target makes, one method per call: observe reads, the others write exactly the
// object given. The dockerode implementation is in dockerode-swarm.ts; tests hand in a fake.

export interface SwarmPort {
  /** The project's services (by the project label), its configs and secrets, every network and node. */
  observe(projectName: string): Promise<ObservedSwarm>;
  /** Tasks and update state of one service, for the waits. */
  observeService(projectName: string, serviceName: string): Promise<ObservedSwarm['services'][number] | null>;
  createNetwork(spec: NetworkSpec): Promise<string>;
  createFileObject(spec: FileObjectSpec): Promise<string>;
  /** Secrets and configs in specs carry names; the port adds their ids. */
  createService(spec: ServiceSpec): Promise<string>;
  updateService(serviceId: string, version: number, spec: ServiceSpec): Promise<void>;
  removeService(serviceId: string): Promise<void>;
  removeNetwork(networkId: string): Promise<void>;
  removeFileObject(kind: 'config' | 'secret', id: string): Promise<void>;
}
