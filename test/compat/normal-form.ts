import { isAbsolute, relative } from 'node:path';
import type { Project } from '../../src/desired-state/model.js';
import { COMPAT_ROOT } from './cases.js';

// The one form both sides are compared in: what Compose gives (docker-compose 1.29's `config` output, or
// values transcribed from compose-go's tests) and what composelet's loader gives. Ports as host ip / host
// port / container port / protocol, environment as a map, volumes as type / source / target / read-only,
// images as strings. Paths inside the case's directory are written relative to it ("./static"), so the
// expectations do not depend on where the repository is checked out.

export interface NormalPort {
  hostIp: string;
  /** A single port ("8080"), a range Compose picks from ("6005-6015"), or null when the engine picks. */
  hostPort: string | null;
  containerPort: string;
  protocol: string;
}

export interface NormalVolume {
  type: string;
  /** Volume name, bind path (relative to the case's directory when inside it), or null (anonymous, tmpfs). */
  source: string | null;
  target: string;
  readOnly: boolean;
}

export interface NormalService {
  image: string | null;
  ports: NormalPort[];
  environment: Record<string, string>;
  volumes: NormalVolume[];
}

export type NormalServices = Record<string, NormalService>;

export const COMPARED_FIELDS = ['image', 'ports', 'environment', 'volumes'] as const;

/** A path as the expectations write it: relative ("./x", "../x", ".") to the case's directory when it lies
 * inside test/compat (the checkout), absolute otherwise ("/opt/data"). */
export function portablePath(path: string, caseDirectory: string, root: string = COMPAT_ROOT): string {
  if (!isAbsolute(path) || relative(root, path).startsWith('..')) return path;
  const fromCase = relative(caseDirectory, path);
  if (fromCase === '') return '.';
  return fromCase.startsWith('..') ? fromCase : `./${fromCase}`;
}

export function sortPorts(ports: NormalPort[]): NormalPort[] {
  return [...ports].sort((left, right) => JSON.stringify(left).localeCompare(JSON.stringify(right)));
}

export function sortVolumes(volumes: NormalVolume[]): NormalVolume[] {
  return [...volumes].sort((left, right) => left.target.localeCompare(right.target) || JSON.stringify(left).localeCompare(JSON.stringify(right)));
}

export function sortedMap(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([left], [right]) => left.localeCompare(right)));
}

/** composelet's model in the normal form. */
export function normalFormOfProject(project: Project, caseDirectory: string): NormalServices {
  const services: NormalServices = {};
  for (const [name, service] of Object.entries(project.services).sort(([left], [right]) => left.localeCompare(right))) {
    services[name] = {
      image: service.image,
      ports: sortPorts(
        service.ports.map((port) => ({
          hostIp: port.hostIp,
          hostPort: port.hostPort === null ? null : port.hostPortEnd === undefined ? String(port.hostPort) : `${port.hostPort}-${port.hostPortEnd}`,
          containerPort: String(port.containerPort),
          protocol: port.protocol,
        })),
      ),
      environment: sortedMap(service.environment),
      volumes: sortVolumes(
        service.volumes.map((mount) => ({
          type: mount.type,
          source: mount.source === null ? null : mount.type === 'bind' ? portablePath(mount.source, caseDirectory) : mount.source,
          target: mount.target,
          readOnly: mount.readOnly,
        })),
      ),
    };
  }
  return services;
}
