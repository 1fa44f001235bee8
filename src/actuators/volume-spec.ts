import { createHash } from 'node:crypto';
import type { Volume } from '../desired-state/model.js';
import {
  ANONYMOUS_VOLUME_NUMBER,
  ANONYMOUS_VOLUME_SERVICE,
  ANONYMOUS_VOLUME_TARGET,
  COMPOSE_PROJECT,
  COMPOSE_VERSION,
  COMPOSE_VOLUME,
  OWNED_BY_COMPOSELET,
} from '../reconciler/labels.js';
import { COMPOSE_VERSION_VALUE } from './container-spec.js';

// A project volume as the engine wants it: the body of POST /volumes/create, as Compose v2 builds it
// (create.go `createVolume`), stamped with Compose's labels and composelet's ownership label. External
// volumes are never created, so they have no create body.

/** The create body (Docker Engine API 1.41 field names). */
export interface VolumeCreateSpec {
  Name: string;
  Driver?: string;
  DriverOpts: Record<string, string>;
  Labels: Record<string, string>;
}

export function volumeLabels(projectName: string, volume: Volume): Record<string, string> {
  return {
    ...volume.labels,
    [COMPOSE_PROJECT]: projectName,
    [COMPOSE_VOLUME]: volume.key,
    [COMPOSE_VERSION]: COMPOSE_VERSION_VALUE,
    [OWNED_BY_COMPOSELET]: 'true',
  };
}

export function buildVolumeSpec(projectName: string, volume: Volume): VolumeCreateSpec {
  return {
    Name: volume.name,
    ...(volume.driver !== null ? { Driver: volume.driver } : {}),
    DriverOpts: { ...volume.driverOpts },
    Labels: volumeLabels(projectName, volume),
  };
}

// Anonymous volumes (`volumes: - /data`, an image's VOLUME) of the containers composelet makes are created
// by composelet under a name derived from their owner, so a replacement (a recreate, a heal after
// `docker rm -f`, an adoption) mounts the same volume again by name:
//
//   <project>_<service>_<number>_anon_<first 12 hex of sha256(target)>
//
// labelled with project, service, replica number and target path, and owned (removed by `down --volumes`).

/** The replica an anonymous volume belongs to. */
export interface AnonymousVolumeOwner {
  projectName: string;
  service: string;
  number: number;
}

const DERIVED_ANONYMOUS_NAME = /_anon_[0-9a-f]{12}$/;
/** A volume the engine created itself for an anonymous mount: 64 hex characters. */
const IMPLICIT_ANONYMOUS_NAME = /^[0-9a-f]{64}$/;

export function anonymousVolumeName(owner: AnonymousVolumeOwner, target: string): string {
  const digest = createHash('sha256').update(target).digest('hex').slice(0, 12);
  return `${owner.projectName}_${owner.service}_${owner.number}_anon_${digest}`;
}

/** Named by composelet for an anonymous mount (see anonymousVolumeName). */
export function isDerivedAnonymousVolumeName(name: string): boolean {
  return DERIVED_ANONYMOUS_NAME.test(name);
}

/** Created by the engine for an anonymous mount (containers made before composelet named them, or by docker compose). */
export function isImplicitAnonymousVolumeName(name: string): boolean {
  return IMPLICIT_ANONYMOUS_NAME.test(name);
}

export function anonymousVolumeLabels(owner: AnonymousVolumeOwner, target: string): Record<string, string> {
  return {
    [COMPOSE_PROJECT]: owner.projectName,
    [COMPOSE_VERSION]: COMPOSE_VERSION_VALUE,
    [OWNED_BY_COMPOSELET]: 'true',
    [ANONYMOUS_VOLUME_SERVICE]: owner.service,
    [ANONYMOUS_VOLUME_NUMBER]: String(owner.number),
    [ANONYMOUS_VOLUME_TARGET]: target,
  };
}

export function buildAnonymousVolumeSpec(owner: AnonymousVolumeOwner, target: string): VolumeCreateSpec {
  return { Name: anonymousVolumeName(owner, target), DriverOpts: {}, Labels: anonymousVolumeLabels(owner, target) };
}

/** The owner and target an anonymous volume composelet created is labelled with; null for any other volume. */
export function anonymousVolumeOwnerOf(labels: Readonly<Record<string, string>>): (AnonymousVolumeOwner & { target: string }) | null {
  const projectName = labels[COMPOSE_PROJECT];
  const service = labels[ANONYMOUS_VOLUME_SERVICE];
  const number = Number(labels[ANONYMOUS_VOLUME_NUMBER]);
  const target = labels[ANONYMOUS_VOLUME_TARGET];
  if (projectName === undefined || service === undefined || target === undefined || !Number.isInteger(number)) return null;
  return { projectName, service, number, target };
}
