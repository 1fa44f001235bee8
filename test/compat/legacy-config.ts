import { isAbsolute, resolve } from 'node:path';
import { portablePath, sortedMap, sortPorts, sortVolumes, type NormalPort, type NormalServices, type NormalVolume } from './normal-form.js';

// docker-compose 1.29's `config` output (parsed YAML) in the normal form. 1.29 prints ports either as
// long-syntax maps (target, published, host_ip, protocol) or as short strings ("127.0.0.1:8001:8000/tcp"),
// volumes as short strings ("src:target:mode", or an anonymous "target") or long-syntax maps, and the
// environment as a map in which an unset pass-through variable is null (left out here: it reaches no
// container, which is also how composelet models it). 1.29's `config` also prints services whose profiles
// are all inactive; Compose v2's `config` (and both versions' `up`) leaves them out, and so does this form:
// the suite activates no profile.

type LegacyPort = string | number | { target?: number | string; published?: number | string; host_ip?: string; protocol?: string };
type LegacyVolume = string | { type?: string; source?: string; target?: string; read_only?: boolean };
interface LegacyService {
  image?: string;
  ports?: LegacyPort[];
  environment?: Record<string, string | number | boolean | null>;
  volumes?: LegacyVolume[];
  profiles?: string[];
}

export function normalFormOfLegacyConfig(config: { services?: Record<string, LegacyService> }, caseDirectory: string): NormalServices {
  const services: NormalServices = {};
  for (const [name, service] of Object.entries(config.services ?? {}).sort(([left], [right]) => left.localeCompare(right))) {
    if ((service.profiles ?? []).length > 0) continue;
    const environment: Record<string, string> = {};
    for (const [key, value] of Object.entries(service.environment ?? {})) {
      if (value !== null) environment[key] = String(value);
    }
    services[name] = {
      image: service.image ?? null,
      ports: sortPorts((service.ports ?? []).flatMap(legacyPort)),
      environment: sortedMap(environment),
      volumes: sortVolumes((service.volumes ?? []).map((volume) => legacyVolume(volume, caseDirectory))),
    };
  }
  return services;
}

export function legacyPort(port: LegacyPort): NormalPort[] {
  if (typeof port === 'object') {
    return expandRanges({
      hostIp: port.host_ip ?? '',
      hostPort: port.published === undefined ? null : String(port.published),
      containerPort: String(port.target),
      protocol: port.protocol ?? 'tcp',
    });
  }
  const [address, protocol = 'tcp'] = String(port).split('/') as [string, string?];
  const parts = address.split(':');
  const containerPort = parts.pop()!;
  const hostPort = parts.length > 0 ? parts.pop()! : null;
  const hostIp = parts.join(':').replace(/^\[|\]$/g, '');
  return expandRanges({ hostIp, hostPort: hostPort === '' ? null : hostPort, containerPort, protocol });
}

/** "8000-8001:9000-9001" is one binding per port, as Compose creates them; a host range for one container port stays a range. */
function expandRanges(port: NormalPort): NormalPort[] {
  const container = port.containerPort.split('-').map(Number);
  if (container.length !== 2) return [port];
  const [first, last] = container as [number, number];
  const host = port.hostPort?.split('-').map(Number) ?? null;
  const ports: NormalPort[] = [];
  for (let offset = 0; offset <= last - first; offset += 1) {
    ports.push({ ...port, containerPort: String(first + offset), hostPort: host === null ? null : String(host[0]! + offset) });
  }
  return ports;
}

export function legacyVolume(volume: LegacyVolume, caseDirectory: string, root?: string): NormalVolume {
  if (typeof volume === 'object') {
    const type = volume.type ?? 'volume';
    const source = volume.source ?? null;
    return {
      type,
      source: source === null ? null : type === 'bind' ? portablePath(resolve(caseDirectory, source), caseDirectory, root) : source,
      target: volume.target ?? '',
      readOnly: volume.read_only ?? false,
    };
  }
  const parts = volume.split(':');
  if (parts.length === 1) return { type: 'volume', source: null, target: parts[0]!, readOnly: false };
  const [source, target, mode = 'rw'] = parts as [string, string, string?];
  const isPath = isAbsolute(source) || source.startsWith('.') || source.startsWith('~');
  return {
    type: isPath ? 'bind' : 'volume',
    source: isPath ? portablePath(resolve(caseDirectory, source), caseDirectory, root) : source,
    target,
    readOnly: mode.split(',').includes('ro'),
  };
}
