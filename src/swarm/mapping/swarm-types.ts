// The parts of the engine's Swarm API (v1.41) composelet writes, as plain data: the planner builds them
// without importing dockerode, the actuator sends them as they are.

export interface SwarmMount {
  Type: 'volume' | 'bind' | 'tmpfs';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string> };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
  BindOptions?: { Propagation?: string };
}

export interface SwarmFileReference {
  /** The Swarm object's name; the actuator adds its id. */
  SecretName?: string;
  ConfigName?: string;
  File: { Name: string; UID: string; GID: string; Mode: number };
}

export interface SwarmRolloutConfig {
  Parallelism?: number;
  Delay?: number;
  FailureAction?: 'pause' | 'continue' | 'rollback';
  Monitor?: number;
  MaxFailureRatio?: number;
  Order?: 'stop-first' | 'start-first';
}

export interface ServiceSpec {
  Name: string;
  Labels: Record<string, string>;
  TaskTemplate: {
    ContainerSpec: {
      Image: string;
      Labels?: Record<string, string>;
      Command?: string[];
      Args?: string[];
      Hostname?: string;
      Env?: string[];
      Dir?: string;
      User?: string;
      Groups?: string[];
      TTY?: boolean;
      OpenStdin?: boolean;
      ReadOnly?: boolean;
      Init?: boolean;
      Mounts?: SwarmMount[];
      StopSignal?: string;
      StopGracePeriod?: number;
      Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
      Hosts?: string[];
      DNSConfig?: { Nameservers?: string[]; Search?: string[]; Options?: string[] };
      Secrets?: SwarmFileReference[];
      Configs?: SwarmFileReference[];
      Sysctls?: Record<string, string>;
      CapabilityAdd?: string[];
      CapabilityDrop?: string[];
      Ulimits?: Array<{ Name: string; Soft: number; Hard: number }>;
    };
    Resources?: {
      Limits?: { NanoCPUs?: number; MemoryBytes?: number; Pids?: number };
      Reservations?: { NanoCPUs?: number; MemoryBytes?: number };
    };
    RestartPolicy?: { Condition: 'none' | 'on-failure' | 'any'; Delay?: number; MaxAttempts?: number; Window?: number };
    Placement?: { Constraints?: string[]; Preferences?: Array<{ Spread: { SpreadDescriptor: string } }>; MaxReplicas?: number };
    Networks?: Array<{ Target: string; Aliases?: string[] }>;
    LogDriver?: { Name: string; Options?: Record<string, string> };
  };
  Mode:
    | { Replicated: { Replicas: number } }
    | { Global: Record<string, never> }
    | { ReplicatedJob: { MaxConcurrent: number; TotalCompletions: number } }
    | { GlobalJob: Record<string, never> };
  UpdateConfig?: SwarmRolloutConfig;
  RollbackConfig?: SwarmRolloutConfig;
  EndpointSpec?: {
    Mode?: 'vip' | 'dnsrr';
    Ports?: Array<{ Protocol: 'tcp' | 'udp' | 'sctp'; TargetPort: number; PublishedPort?: number; PublishMode: 'ingress' | 'host' }>;
  };
}

export interface NetworkSpec {
  Name: string;
  Driver: string;
  Attachable: boolean;
  Internal: boolean;
  Labels: Record<string, string>;
  Options: Record<string, string>;
  IPAM?: { Driver: string; Config: Array<Record<string, string>> };
}

export interface FileObjectSpec {
  kind: 'config' | 'secret';
  Name: string;
  Labels: Record<string, string>;
  /** The content; a secret's is never printed (renders show its content hash). */
  content: string;
}
