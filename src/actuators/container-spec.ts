import type { Project, Service } from '../desired-state/model.js';

// A service's container as the engine wants it: the body of POST /containers/create, built from the
// normalized model. Pure: the planner puts it in the plan, the executor sends it as is.

/** The create body (Docker Engine API 1.41 field names). */
export interface ContainerCreateSpec {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env: string[];
  User?: string;
  WorkingDir?: string;
  Hostname?: string;
  ExposedPorts: Record<string, Record<string, never>>;
  Labels: Record<string, string>;
  Healthcheck?: {
    Test: string[];
    Interval?: number;
    Timeout?: number;
    Retries?: number;
    StartPeriod?: number;
    StartInterval?: number;
  };
  StopSignal?: string;
  StopTimeout?: number;
  Tty: boolean;
  OpenStdin: boolean;
  HostConfig: Record<string, unknown>;
  NetworkingConfig: { EndpointsConfig: Record<string, Record<string, unknown>> };
}

export interface ContainerSpecOptions {
  /** 1-based replica number. */
  number: number;
  /** Image to run: the service's image, or the name composelet builds it under. */
  image: string;
}

export function buildContainerSpec(_project: Project, _service: Service, _options: ContainerSpecOptions): ContainerCreateSpec {
  throw new Error('not implemented yet');
}
