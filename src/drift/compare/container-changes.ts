import { describeDanglingVolume, type DanglingVolume } from '../../reconciler/plan/volumes/plan-anonymous-volumes.js';
import { imageFor } from '../../actuators/container-spec.js';
import type { Project, Service } from '../../desired-state/model.js';
import { OWNED_BY_COMPOSELET, SPEC_HASH } from '../../reconciler/labels.js';
import type { ObservedContainer } from '../../reconciler/observe/observed-state.js';
import { stoppedReason } from '../report/categories.js';
import type { ContainerBrief, DriftChange } from '../model.js';
import type { PosingContainer } from './pair-containers.js';

// The changes that are about a whole container rather than one of its fields, as JSON Patch operations
// from desired to live on a conceptual document: a missing container is a `remove` of it, an orphan an
// `add`, a stopped one a `replace` of its state, a foreign one a change of its ownership labels. Pure.

export function brief(container: ObservedContainer): ContainerBrief {
  return {
    name: container.name,
    id: container.id.slice(0, 12),
    state: container.state,
    exitCode: container.exitCode,
    owned: container.owned,
  };
}

export function missingChange(project: Project, service: Service, name: string, heldBy: ObservedContainer | null): DriftChange {
  const holder = heldBy ? `; ${heldBy.name} (${heldBy.id.slice(0, 12)}), which composelet does not own, holds its place` : '';
  return {
    category: 'missing',
    container: name,
    path: '',
    op: 'remove',
    desired: { name, image: imageFor(project, service) },
    live: null,
    reason: `container ${name} is missing${holder}`,
  };
}

export function stoppedChange(service: Service, container: ObservedContainer): DriftChange | null {
  const reason = stoppedReason(service, container);
  if (reason === null) return null;
  return {
    category: 'stopped',
    container: container.name,
    path: '/state',
    op: 'replace',
    desired: 'running',
    live: container.exitCode === null ? container.state : `${container.state} (${container.exitCode})`,
    reason,
  };
}

/** An owned container whose spec hash is not its service's: made from other manifests, or by hand. */
export function foreignHashChange(project: Project, service: Service, container: ObservedContainer): DriftChange | null {
  if (container.specHash === service.specHash) return null;
  const other = Object.values(project.services).find((candidate) => candidate.specHash === container.specHash);
  const live = container.specHash ?? null;
  const reason =
    live === null
      ? 'owned but without a spec hash label: not created by composelet from these manifests'
      : other
        ? `its spec hash is service ${other.name}'s, not ${service.name}'s: made by hand or relabelled`
        : `its spec hash ${live.slice(0, 12)} matches no desired service spec: created from other manifests or by hand (apply replaces it)`;
  return { category: 'foreign', container: container.name, path: labelPath(SPEC_HASH), op: live === null ? 'remove' : 'replace', desired: service.specHash, live, reason };
}

/** `desired`: the service is in the manifests, so `adopt` would take the container over. */
export function posingChange(posing: PosingContainer, serviceName: string, options: { desired: boolean }): DriftChange {
  const { container } = posing;
  if (posing.how === 'name') {
    return {
      category: 'foreign',
      container: container.name,
      path: '',
      op: 'add',
      desired: null,
      live: { name: container.name, image: container.image },
      reason: `hand-made: holds service ${serviceName}'s container name without the project's labels or composelet's ownership`,
    };
  }
  if (!options.desired) {
    return {
      category: 'foreign',
      container: container.name,
      path: labelPath(OWNED_BY_COMPOSELET),
      op: 'remove',
      desired: 'true',
      live: null,
      reason: `hand-made: carries the project's compose labels for service ${serviceName} but not composelet's ownership label`,
    };
  }
  return {
    category: 'not-adopted',
    container: container.name,
    path: labelPath(OWNED_BY_COMPOSELET),
    op: 'remove',
    desired: 'true',
    live: null,
    reason: `running under docker compose, not adopted: carries the project's compose labels for service ${serviceName} but not composelet's ownership label (\`composelet adopt\` takes it over)`,
  };
}

export function orphanChange(container: ObservedContainer, cause: string): DriftChange {
  return {
    category: 'orphan',
    container: container.name,
    path: '',
    op: 'add',
    desired: null,
    live: { name: container.name, image: container.image },
    reason: `orphan: ${cause} (kept; apply --prune removes it)`,
  };
}

export function unownedChange(container: ObservedContainer, network: string): DriftChange {
  return {
    category: 'unowned',
    container: container.name,
    path: `/networks/${escape(network)}/containers/${escape(container.name)}`,
    op: 'add',
    desired: null,
    live: { name: container.name, image: container.image, state: container.state },
    reason: `container ${container.name} (image ${container.image}) is attached to network ${network} but composelet does not own it`,
  };
}

export function missingResourceChange(kind: 'network' | 'volume', name: string, external: boolean): DriftChange {
  return {
    category: 'missing',
    container: null,
    path: `/${kind}s/${escape(name)}`,
    op: 'remove',
    desired: name,
    live: null,
    reason: external ? `external ${kind} ${name} does not exist` : `${kind} ${name} is missing`,
  };
}

export function danglingVolumeChange(volume: DanglingVolume): DriftChange {
  return {
    category: 'dangling-volume',
    container: null,
    path: `/volumes/${escape(volume.name)}`,
    op: 'add',
    desired: null,
    live: { name: volume.name, service: volume.service, number: volume.number, target: volume.target },
    reason: `dangling: ${describeDanglingVolume(volume)}, no service needs it: kept; \`apply --prune\` removes it`,
  };
}

export function unownedResourceChange(kind: 'network' | 'volume', name: string): DriftChange {
  return {
    category: 'foreign',
    container: null,
    path: `/${kind}s/${escape(name)}`,
    op: 'replace',
    desired: name,
    live: name,
    reason: `${kind} ${name} exists but composelet does not own it (made by hand?): declare it external or remove it`,
  };
}

function labelPath(label: string): string {
  return `/labels/${escape(label)}`;
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
