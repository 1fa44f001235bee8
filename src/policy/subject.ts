// What the rules look at: the few security-relevant facts of one service, taken from the desired state
// (desired-subject.ts) or from a live container's inspect (live-subject.ts), so the same rules check both.

export interface SubjectBind {
  /** Absolute host path. */
  source: string;
  target: string;
  readOnly: boolean;
}

export interface SubjectPort {
  /** '' means every interface, as the engine's HostIp. */
  hostIp: string;
  /** null when the engine picks the host port. */
  hostPort: number | null;
  containerPort: number;
  protocol: string;
}

export type HealthcheckPresence = 'declared' | 'not-declared' | 'disabled';

export interface PolicySubject {
  /** 'desired': read from the manifests; 'live': read from a container the engine runs. */
  source: 'desired' | 'live';
  /** Compose service name; null for a live container without the service label. */
  service: string | null;
  /** Live: the container's name; desired: null. */
  container: string | null;
  privileged: boolean;
  networkMode: string | null;
  pid: string | null;
  ipc: string | null;
  binds: SubjectBind[];
  ports: SubjectPort[];
  /** null or 0: no limit. */
  memoryBytes: number | null;
  /** Desired 'not-declared' means the manifest declares none (an image HEALTHCHECK is not visible here);
   * live 'not-declared' means the container has none at all. */
  healthcheck: HealthcheckPresence;
  /** Restart policy no or on-failure: a one-shot, expected to exit. */
  oneShot: boolean;
  /** Environment keys whose values are written literally in the compose file. Null on live state, where
   * a value's origin cannot be told. */
  literalEnvironmentKeys: string[] | null;
  securityOpt: string[];
  /** null or '': not set (the image's user, root unless the image sets USER). */
  user: string | null;
  /** Desired: driver null is the engine's default (json-file unless the daemon sets another); live: what
   * the engine runs. `maxSize`: the max-size option, null when not set. */
  logging: { driver: string | null; maxSize: string | null };
}
