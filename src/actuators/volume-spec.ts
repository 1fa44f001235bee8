import type { Volume } from '../desired-state/model.js';
import { COMPOSE_PROJECT, COMPOSE_VERSION, COMPOSE_VOLUME, OWNED_BY_COMPOSELET } from '../reconciler/labels.js';
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
