import type { BuildSpec, LifecycleHook, Limits, Network, RestartPolicy, Volume } from '../../desired-state/model.js';
import type { ContainerCreateSpec } from '../../actuators/container-spec.js';
import type { ContainerFile } from '../../actuators/container-files.js';
import type { AnonymousVolumeOwner } from '../../actuators/volume-spec.js';

// The plan is data: one operation per engine call, each with the resource it acts on, the cause in words
// and the operations it must wait for. `plan()` builds it with no I/O; `execute()` runs it and decides
// nothing; `renderPlan()` prints it one stable line per operation.

interface OperationBase {
  /** Index in `Plan.operations`. */
  id: number;
  /** `service:api`, `container:demo-api-1`, `network:demo_default`, `volume:demo_data`, `image:demo-api`. */
  resourceId: string;
  /** The service this operation serves, when it serves one (progress lines group by it). */
  service: string | null;
  /** Why, in words: "not found", "spec changed: command", "exited (137)". */
  cause: string;
  /** Ids of operations that must succeed first. */
  dependsOn: number[];
  /**
   * A fallback: it runs only when one of these operations failed (or was left undone after part of its
   * sequence ran), once they have all settled; when they all succeeded it is `unneeded`. Used to put an old
   * container back when its replacement fails (adoption, rollouts).
   */
  onFailureOf?: number[];
}

export interface BuildImageOperation extends OperationBase {
  kind: 'build-image';
  image: string;
  build: BuildSpec;
  buildHash: string;
}

/** Pull an image the engine does not hold (or `pull_policy: always`); a failed pull fails its dependents. */
export interface PullImageOperation extends OperationBase {
  kind: 'pull-image';
  /** The reference as written in the manifest ("redis:7", "ghcr.io/acme/api@sha256:..."). */
  image: string;
}

export interface CreateNetworkOperation extends OperationBase {
  kind: 'create-network';
  network: Network;
  projectName: string;
}

export interface CreateVolumeOperation extends OperationBase {
  kind: 'create-volume';
  /** A project volume; for an anonymous volume, its name and labels. */
  volume: Volume;
  projectName: string;
  /** Set for the anonymous volume of one replica's mount at `target` (named and labelled by its owner). */
  anonymous?: AnonymousVolumeOwner & { target: string };
}

export interface CreateContainerOperation extends OperationBase {
  kind: 'create-container';
  /** Name to create under: the final name, or a temporary one when replacing a container. */
  name: string;
  spec: ContainerCreateSpec;
  /** Replacing this container: its anonymous volumes are attached to the new one (executor reads them). */
  inheritAnonymousVolumesFrom: string | null;
  /** The image's VOLUMEs were not known when planning (the plan builds or pulls the image): right before
   * the create, the executor reads them from the image and mounts each target the spec leaves free under
   * the owner's anonymous volume name (created labelled by the engine if missing). Null: the spec names them. */
  nameImageVolumes: AnonymousVolumeOwner | null;
  /** Secrets and configs from `environment` or `content`, copied in right after the create (content never printed). */
  files: ContainerFile[];
}

export interface StartContainerOperation extends OperationBase {
  kind: 'start-container';
  /** A container name (for one created earlier in the plan) or id. */
  container: string;
  /** The service's `post_start` hooks, run in order once the start succeeded; a failing one fails the operation. */
  postStart: LifecycleHook[];
}

export interface StopContainerOperation extends OperationBase {
  kind: 'stop-container';
  container: string;
  /** Signal from stop_signal; null means the image's default. */
  signal: string | null;
  timeoutSeconds: number;
  /** The service's `pre_stop` hooks, run in order before the stop; a failing one fails the operation (no stop). */
  preStop: LifecycleHook[];
}

export interface RemoveContainerOperation extends OperationBase {
  kind: 'remove-container';
  container: string;
  /** Only for `down --volumes`: never on a recreate. */
  removeAnonymousVolumes: boolean;
  /** Remove it even when it runs (a failed replacement being cleared away). */
  force?: boolean;
  /** A container that is not there counts as removed (a replacement that may never have been created). */
  ignoreMissing?: boolean;
}

export interface RenameContainerOperation extends OperationBase {
  kind: 'rename-container';
  container: string;
  newName: string;
}

export interface UpdateContainerOperation extends OperationBase {
  kind: 'update-container';
  container: string;
  limits: Limits;
  restart: RestartPolicy;
  /** Changed fields in words, for the cause and the audit log. */
  changes: string[];
}

export interface ConnectNetworkOperation extends OperationBase {
  kind: 'connect-network';
  container: string;
  network: string;
  aliases: string[];
  ipv4Address: string | null;
  ipv6Address: string | null;
}

export type WaitCondition = 'running' | 'healthy' | 'completed-successfully';

export interface WaitOperation extends OperationBase {
  kind: 'wait';
  container: string;
  condition: WaitCondition;
  /** How long to wait before failing; null: the executor's default. */
  timeoutSeconds: number | null;
  /** A rollout's monitor: once the condition is met, it must hold this long (no exit, restart or
   * unhealthy), else the wait fails with the evidence. Unset: met once is enough. */
  monitorSeconds?: number;
}

/**
 * Between two batches of a rollout (and after the last): settles once every proof it watches has settled.
 * It fails when more of them failed than `maxFailures` (the rollout's failure action follows: rollback or
 * pause fallbacks hang on it); else it succeeds after holding for `delaySeconds` (update_config.delay).
 */
export interface RolloutGateOperation extends OperationBase {
  kind: 'rollout-gate';
  /** The proofs of the replicas rolled out so far. */
  watched: number[];
  /** Failed replicas tolerated (max_failure_ratio x replicas; all of them for failure_action: continue). */
  maxFailures: number;
  maxFailureRatio: number;
  /** The service's replicas (for the message). */
  replicas: number;
  /** Once passed, the next batch waits this long. */
  delaySeconds: number;
}

export interface RemoveNetworkOperation extends OperationBase {
  kind: 'remove-network';
  network: string;
}

export interface RemoveVolumeOperation extends OperationBase {
  kind: 'remove-volume';
  volume: string;
  /** A volume that is not there counts as removed (an anonymous volume its container's removal took). */
  ignoreMissing?: boolean;
}

export type Operation =
  | BuildImageOperation
  | PullImageOperation
  | CreateNetworkOperation
  | CreateVolumeOperation
  | CreateContainerOperation
  | StartContainerOperation
  | StopContainerOperation
  | RemoveContainerOperation
  | RenameContainerOperation
  | UpdateContainerOperation
  | ConnectNetworkOperation
  | WaitOperation
  | RolloutGateOperation
  | RemoveNetworkOperation
  | RemoveVolumeOperation;

export type OperationKind = Operation['kind'];

/** Something the plan cannot do, reported instead of operations (e.g. an image nowhere to be had). */
export interface PlanProblem {
  service: string | null;
  resourceId: string;
  message: string;
}

/** Something worth saying that needs no action (an orphan kept, a completed one-shot left alone). */
export interface PlanNote {
  resourceId: string;
  message: string;
}

/** How a container created by docker compose was named: `<project>-<service>-<n>`, `<project>_<service>_<n>`, or `container_name`. */
export type ComposeNaming = 'v2' | 'v1' | 'container_name' | 'other';

/** One service taken over from docker compose: the containers it replaces and the operations that do it. */
export interface Adoption {
  service: string;
  containers: Array<{ id: string; name: string; naming: ComposeNaming; state: string }>;
  /** The operations of the adoption, fallbacks included. */
  operations: number[];
}

/** One replica replaced with a way back (a rollout): what the report and the failure memory read. */
export interface Rollout {
  service: string;
  number: number;
  /** The final container name. */
  name: string;
  oldContainerId: string;
  oldSpecHash: string | null;
  newSpecHash: string;
  /** Operations whose failure rolls it back: its own steps, then the gates that decide its batch. */
  covered: number[];
  /** What a failure beyond max_failure_ratio does (absent in plans made before it existed: rollback). */
  failureAction?: 'rollback' | 'pause' | 'continue';
  /** The operations that put the old container back. */
  fallbacks: number[];
}

export interface Plan {
  projectName: string;
  operations: Operation[];
  problems: PlanProblem[];
  notes: PlanNote[];
  /** Services taken over from docker compose (`adopt`), in the order they are adopted. */
  adoptions: Adoption[];
  /** Replicas replaced with a way back (recreates of running containers). */
  rollouts?: Rollout[];
}

/** Operations that change the engine (everything but waits and rollout gates). */
export function isMutating(operation: Operation): boolean {
  return operation.kind !== 'wait' && operation.kind !== 'rollout-gate';
}
