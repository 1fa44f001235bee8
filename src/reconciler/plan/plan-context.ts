import type { Project } from '../../desired-state/model.js';
import type { ObservedState } from '../observe/observed-state.js';
import type { PlanBuilder } from './plan-builder.js';

// What every part of the planner reads while it builds one plan: the inputs, the builder, and what was
// already planned for the services before (the planner walks services in dependency order).

export interface PlanOptions {
  /** Remove owned containers of services no longer in the manifests. */
  prune: boolean;
  /** service -> hash of its build inputs; images composelet built carry it as io.composelet.build-hash. */
  buildHashes: Record<string, string>;
  /** Timeout of the waits planned for depends_on conditions; unset: the executor's default. */
  waitTimeoutSeconds?: number;
  /** Only `up` exists today: converge to the manifests (`down` is `planDown`). */
  mode?: 'up';
  /** The controller's healing decisions, made from what it remembers across reconciles. */
  healing?: HealingDirectives;
  /** service -> why it must not be recreated now (its pre-recreate backup failed): converged in place. */
  holdRecreates?: Record<string, string>;
  /** Take over containers docker compose made for the desired services (`adopt`); without it, a project
   * that has any is not changed at all and the plan says how to adopt it. */
  adopt?: boolean;
  /** The time the plan is made for, in ms since the epoch (pull_policy refresh periods); default: now. */
  now?: number;
  /** image reference -> the VOLUME targets its config declares. Read (image inspect) only for the images
   * a container is about to be created from; an image missing here has its volumes named at create time. */
  imageVolumes?: Record<string, string[]>;
  /** Volumes the engine made for anonymous mounts of containers created before composelet named them, as
   * remembered (state/volume-record.ts): a replacement mounts them again, even after `docker rm -f`. */
  recordedVolumes?: RecordedVolume[];
  /** What an operator suspended (`composelet suspend`): nothing is planned for these services (a note says
   * who, until when and why); a project-wide suspension plans nothing at all. */
  suspended?: { project: string | null; services: Record<string, string> };
  /** A rollback (`composelet rollback`): rollouts follow `deploy.rollback_config` where a service has one. */
  rollback?: boolean;
}

/** One anonymous volume remembered for a replica's mount target. */
export interface RecordedVolume {
  service: string;
  number: number;
  target: string;
  name: string;
}

export interface HealingDirectives {
  /** service -> why its containers are not started now (crash-loop backoff): a note instead of a start. */
  holdStarts?: Record<string, string>;
  /** container name -> why it is restarted (unhealthy past its grace period): stop, then start. */
  restartContainers?: Record<string, string>;
  /** container name -> why it is recreated instead of started (the engine refuses to start it after its
   * restart: a stale task): replaced like a spec change, its anonymous volumes mounted again. */
  recreateContainers?: Record<string, string>;
}

/** One replica as the plan leaves it. */
export interface ReplicaOutcome {
  number: number;
  /** Final container name. */
  name: string;
  /** The start planned for it, when one is. */
  startOperation: number | null;
  /** A rollout's replacement: the operation after which it has proved itself (its monitor passed, its
   * batch's gate held); a dependent's `service_healthy` waits for it rather than for the start. */
  provenOperation?: number | null;
  recreated: boolean;
  /** Restarted in place by a healing directive (stop, start). */
  restarted: boolean;
  /** Running and left running by the plan: a dependency's recreate may restart it. */
  restartable: boolean;
}

export interface ServiceOutcome {
  replicas: ReplicaOutcome[];
  recreated: boolean;
  restarted: boolean;
}

export interface PlanContext {
  project: Project;
  observed: ObservedState;
  options: PlanOptions;
  builder: PlanBuilder;
  /** Filled service by service, in dependency order. */
  outcomes: Map<string, ServiceOutcome>;
  /** The last operation of the adoption planned last: the next adoption waits for it (one at a time). */
  adoptionTail?: number;
  /** Anonymous volume name -> its create operation, planned once however many creates mount it. */
  anonymousVolumeOperations: Map<string, number>;
}

export const DEFAULT_STOP_TIMEOUT_SECONDS = 10;

/** stop_grace_period in whole seconds, 10 s when unset, as Compose (and as the create body's StopTimeout). */
export function stopTimeoutSeconds(stopGracePeriodNs: number | null): number {
  if (stopGracePeriodNs === null) return DEFAULT_STOP_TIMEOUT_SECONDS;
  return Math.trunc(stopGracePeriodNs / 1_000_000_000);
}
