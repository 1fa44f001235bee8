import { inputExists } from '../cache/recorded-reads.js';
import { formatCycle } from '../graph.js';
import type { ManifestIssue } from '../manifest-issue.js';
import type { Project, Service } from '../model.js';
import { closest } from '../schema/building-blocks.js';

// Checks across the whole project, after merging and normalization: references that point nowhere,
// dependency cycles and host ports claimed twice. Each problem names the place in the manifest.

export type Report = (path: Array<string | number>, message: string) => void;

const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

export function checkServices(project: Omit<Project, 'graph'>, report: Report): void {
  const names = Object.keys(project.services);
  for (const service of Object.values(project.services)) {
    const at = (...path: Array<string | number>) => ['services', service.name, ...path];
    if (!SERVICE_NAME.test(service.name)) {
      report(at(), `invalid service name "${service.name}": use letters, digits, ".", "_" and "-", starting with a letter or digit`);
    }
    if (!service.image && !service.build) report(at(), 'the service needs an `image:` or a `build:`');
    checkDependencies(project, service, names, report);
    for (const [network] of Object.entries(service.networks)) {
      if (network !== 'default' && !(network in project.networks)) {
        report(at('networks', network), `network "${network}" is not declared under the top-level \`networks:\`${suggest(network, Object.keys(project.networks))}`);
      }
    }
    if (service.networkMode?.startsWith('service:')) {
      const target = service.networkMode.slice('service:'.length);
      if (!names.includes(target)) report(at('network_mode'), `network_mode uses service "${target}", which is not defined`);
    }
    service.volumes.forEach((mount) => {
      if (mount.type === 'volume' && mount.source !== null && !(mount.source in project.volumes)) {
        report(
          at('volumes'),
          `volume "${mount.source}" (mounted at ${mount.target}) is not declared under the top-level \`volumes:\`${suggest(mount.source, Object.keys(project.volumes))}`,
        );
      }
    });
    for (const [kind, references, declared] of [
      ['secret', service.secrets, project.secrets],
      ['config', service.configs, project.configs],
    ] as const) {
      for (const reference of references) {
        if (!(reference.source in declared)) {
          report(at(`${kind}s`), `${kind} "${reference.source}" is not declared under the top-level \`${kind}s:\``);
        }
      }
    }
  }
}

function checkDependencies(project: Omit<Project, 'graph'>, service: Service, names: string[], report: Report): void {
  for (const [dependency, settings] of Object.entries(service.dependsOn)) {
    if (names.includes(dependency)) continue;
    const path = ['services', service.name, 'depends_on', dependency];
    if (project.inactiveServices.includes(dependency)) {
      if (settings.required) {
        report(path, `depends on "${dependency}", which no active profile enables: enable its profile with --profile, or set "required: false"`);
      }
      continue;
    }
    if (!settings.required) continue;
    report(path, `depends on undefined service "${dependency}"${suggest(dependency, names)}`);
  }
}

export function checkFileObjects(project: Omit<Project, 'graph'>, report: Report): void {
  for (const [kind, objects] of [
    ['secrets', project.secrets],
    ['configs', project.configs],
  ] as const) {
    for (const object of Object.values(objects)) {
      if (object.file !== null && !inputExists(object.file)) {
        report([kind, object.key, 'file'], `${object.file} does not exist`);
      }
    }
  }
}

export function reportCycles(cycles: string[][], report: Report): void {
  for (const cycle of cycles) {
    const first = cycle[0]!;
    const next = cycle[1] ?? first;
    report(['services', first, 'depends_on', next], `dependency cycle: ${formatCycle(cycle)}`);
  }
}

/** Two services (or two replicas) publishing the same host address, port and protocol. `onOneEngine`
 * false for a Swarm project: its ingress routing mesh lets replicas share a published port. */
export function checkPortConflicts(services: Service[], report: Report, onOneEngine = true): void {
  const claims: Array<{ service: string; hostIp: string; hostPort: number; protocol: string }> = [];
  for (const service of services) {
    service.ports.forEach((binding) => {
      if (binding.hostPort === null) return;
      const claim = { service: service.name, hostIp: binding.hostIp, hostPort: binding.hostPort, protocol: binding.protocol };
      const clash = claims.find(
        (other) =>
          other.hostPort === claim.hostPort && other.protocol === claim.protocol && addressesOverlap(other.hostIp, claim.hostIp),
      );
      const label = `${claim.hostIp || '0.0.0.0'}:${claim.hostPort}/${claim.protocol}`;
      if (clash && clash.service !== service.name) {
        report(['services', service.name, 'ports'], `host port ${label} is already published by service "${clash.service}"`);
      } else if (clash) {
        report(['services', service.name, 'ports'], `host port ${label} is published twice`);
      }
      claims.push(claim);
    });
    // A host port range ("6005-6015:80") lets the engine give each replica its own port from the range.
    const fixed = service.ports.filter((binding) => binding.hostPort !== null && binding.hostPortEnd === undefined);
    if (onOneEngine && service.replicas > 1 && fixed.length > 0) {
      report(['services', service.name, 'ports'], `${service.replicas} replicas cannot share a fixed host port; leave the host port out or give a range`);
    }
    for (const binding of service.ports) {
      const size = binding.hostPortEnd === undefined || binding.hostPort === null ? null : binding.hostPortEnd - binding.hostPort + 1;
      if (size !== null && size < service.replicas) {
        report(['services', service.name, 'ports'], `${service.replicas} replicas need ${service.replicas} ports, but the host port range ${binding.hostPort}-${binding.hostPortEnd} holds ${size}`);
      }
    }
  }
}

function addressesOverlap(left: string, right: string): boolean {
  const wildcard = (address: string) => address === '' || address === '0.0.0.0' || address === '::';
  return left === right || wildcard(left) || wildcard(right);
}

function suggest(word: string, candidates: string[]): string {
  const match = closest(word, candidates);
  return match ? `; did you mean "${match}"?` : '';
}

export type { ManifestIssue };
