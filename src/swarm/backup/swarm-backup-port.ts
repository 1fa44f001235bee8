import type { ServiceSpec } from '../mapping/swarm-types.js';

// What backups of a Swarm project ask of the manager, one method per call: where a service's task runs,
// and the one-off job that dumps a database it cannot exec into. The dockerode implementation is in
// dockerode-swarm-backup.ts; tests hand in a fake.

/** A task of a service as the manager reports it (the raw API object, for the fields backups read). */
export interface RawTask {
  ID: string;
  NodeID?: string;
  DesiredState?: string;
  CreatedAt?: string;
  Status?: { State?: string; Err?: string; ContainerStatus?: { ContainerID?: string; ExitCode?: number } };
  Spec?: { ContainerSpec?: { Image?: string; Labels?: Record<string, string> } };
  NetworksAttachments?: Array<{ Network?: { ID?: string; Spec?: { Name?: string; Ingress?: boolean } }; Addresses?: string[] }>;
}

export interface RawService {
  ID: string;
  Spec: ServiceSpec & { TaskTemplate: ServiceSpec['TaskTemplate'] & { Networks?: Array<{ Target: string; Aliases?: string[] }> } };
}

export interface SwarmBackupPort {
  /** The service named `<project>_<service>` (Swarm's name), or null. */
  service(name: string): Promise<RawService | null>;
  tasks(serviceId: string): Promise<RawTask[]>;
  /** Node id -> hostname. */
  nodeHostnames(): Promise<Map<string, string>>;
  createService(spec: ServiceSpec): Promise<string>;
  /** Its stdout and stderr, demultiplexed (the job writes its dump there). */
  serviceLogs(serviceId: string): Promise<{ stdout: Buffer; stderr: Buffer }>;
  removeService(serviceId: string): Promise<void>;
  /** Services carrying the label (any value). */
  servicesLabelled(label: string): Promise<Array<{ id: string; name: string; labels: Record<string, string>; createdMs: number }>>;
}
