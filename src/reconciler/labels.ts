// Labels are the contract with the engine. Compose's own labels keep `docker compose -p P ps` and `logs`
// working on what composelet creates; composelet's labels say that composelet owns an object (nothing
// without them is ever touched) and which spec it was created from.

export const COMPOSE_PROJECT = 'com.docker.compose.project';
export const COMPOSE_SERVICE = 'com.docker.compose.service';
export const COMPOSE_CONTAINER_NUMBER = 'com.docker.compose.container-number';
export const COMPOSE_ONEOFF = 'com.docker.compose.oneoff';
export const COMPOSE_WORKING_DIR = 'com.docker.compose.project.working_dir';
export const COMPOSE_CONFIG_FILES = 'com.docker.compose.project.config_files';
export const COMPOSE_CONFIG_HASH = 'com.docker.compose.config-hash';
export const COMPOSE_NETWORK = 'com.docker.compose.network';
export const COMPOSE_VOLUME = 'com.docker.compose.volume';
export const COMPOSE_VERSION = 'com.docker.compose.version';

/** Ownership: present (value "true") on every container, network and volume composelet created. */
export const OWNED_BY_COMPOSELET = 'io.composelet.managed';
/** The service's spec hash at creation; a different desired hash means recreate. */
export const SPEC_HASH = 'io.composelet.spec-hash';
/** Hash of the limits (memory, cpus, pids, restart policy) the container was created with. */
export const LIMITS_HASH = 'io.composelet.limits-hash';
/** On a one-shot's container made by adoption from a compose container that had already exited 0: it is
 * created, not run again, and counts as completed. The value is the compose container's id. */
export const ADOPTED_COMPLETED = 'io.composelet.adopted-completed';
/** On an anonymous volume composelet created: the service, replica number and target path it belongs to. */
export const ANONYMOUS_VOLUME_SERVICE = 'io.composelet.anonymous-volume.service';
export const ANONYMOUS_VOLUME_NUMBER = 'io.composelet.anonymous-volume.container-number';
export const ANONYMOUS_VOLUME_TARGET = 'io.composelet.anonymous-volume.target';
/** Build inputs hash stamped on images composelet builds; a different one means rebuild. */
export const BUILD_HASH = 'io.composelet.build-hash';

/** The label filter that selects one project's objects in list calls. */
export function projectFilter(projectName: string): string {
  return `${COMPOSE_PROJECT}=${projectName}`;
}

export function isOwned(labels: Readonly<Record<string, string>> | null | undefined): boolean {
  return labels?.[OWNED_BY_COMPOSELET] === 'true';
}
