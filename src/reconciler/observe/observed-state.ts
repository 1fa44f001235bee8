import type { Limits } from '../../desired-state/model.js';

// What the engine holds for one project, from one list call per kind: normalized and sorted, so the
// planner sees the same snapshot whatever order the engine answered in. Built by `observe`; the planner
// reads it and never calls the engine.

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
export type HealthState = 'starting' | 'healthy' | 'unhealthy' | null;

/** The limits a container runs with now, in the model's units, and its restart policy as the engine names it. */
export interface ObservedLimits extends Limits {
  restart: { name: string; maximumRetryCount: number };
}

export interface ObservedContainer {
  id: string;
  /** Without the leading slash. */
  name: string;
  /** From the compose labels; null when absent. */
  project: string | null;
  service: string | null;
  number: number | null;
  /** Carries composelet's ownership label. */
  owned: boolean;
  specHash: string | null;
  limitsHash: string | null;
  state: ContainerState;
  /** From the list call's status text ("Up 3 seconds (healthy)"). */
  health: HealthState;
  /** From the status text ("Exited (0) 5 seconds ago"); null unless exited. */
  exitCode: number | null;
  /** Image reference as created (the list call's Image). */
  image: string;
  imageId: string;
  labels: Record<string, string>;
  /** Names of the networks the container is attached to, sorted. */
  networks: string[];
  /** Unix seconds. */
  created: number;
  /** Its volume mounts (named and anonymous), by target, sorted by target: from the list call. */
  volumeMounts: ObservedVolumeMount[];
  /** Filled only for containers the planner needs to look at closer (limits label differs); else null. */
  limits: ObservedLimits | null;
}

export interface ObservedVolumeMount {
  /** The volume's name: a project volume, one composelet named for an anonymous mount, or 64 hex
   * characters for one the engine made itself. */
  name: string;
  target: string;
}

export interface ObservedNetwork {
  id: string;
  name: string;
  owned: boolean;
  labels: Record<string, string>;
}

export interface ObservedVolume {
  name: string;
  owned: boolean;
  labels: Record<string, string>;
}

export interface ObservedImage {
  id: string;
  /** Repo tags, e.g. ["composelet/busybox:1"]. */
  tags: string[];
  labels: Record<string, string>;
  /** When the image was created, in seconds since the epoch (pull_policy daily/weekly/every_<d>). */
  createdAt?: number;
}

export interface ObservedState {
  projectName: string;
  /** Every container carrying the project's compose label, owned or not, sorted by name. */
  containers: ObservedContainer[];
  /** Networks and volumes carrying the project's label, plus those the desired state names, sorted by name. */
  networks: ObservedNetwork[];
  volumes: ObservedVolume[];
  /** Local images (one list call), for "is the image here" and "did the tag move". */
  images: ObservedImage[];
}
