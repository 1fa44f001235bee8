import { isIP } from 'node:net';
import type { PortBinding, Protocol } from '../model.js';
import { fail, ok, type ParseResult } from './result.js';

// Published ports, short ("127.0.0.1:8080:80/udp") and long ({ target, published, host_ip, protocol })
// syntax, as one binding per container port. Port ranges expand pairwise.

const PORT_MIN = 1;
const PORT_MAX = 65535;
const PROTOCOL_HINT = '(use tcp, udp or sctp)';

interface PortRange {
  start: number;
  end: number;
}

/**
 * Parses Compose short syntax `[HOST_IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL]`; an IPv6
 * host IP goes in brackets (`[::1]:8080:80`), and an empty host port (`127.0.0.1::80`) lets the engine
 * pick one. A number is a container port. A container range expands to one binding per port, paired
 * with a host range of the same length or with engine-picked host ports; a host range with one container
 * port lets the engine pick a free host port from that range.
 */
export function parsePortShort(input: string | number): ParseResult<PortBinding[]> {
  const text = typeof input === 'number' ? String(input) : input;
  const quoted = JSON.stringify(text);
  if (text === '') return fail('empty port specification');

  const slash = text.indexOf('/');
  const spec = slash === -1 ? text : text.slice(0, slash);
  const protocol = parseProtocol(slash === -1 ? undefined : text.slice(slash + 1), ` in ${quoted}`);
  if (!protocol.ok) return protocol;

  const split = splitShortSpec(spec, quoted);
  if (!split.ok) return split;
  const { hostIp, hostPortText, containerPortText } = split.value;

  const container = parsePortRange(containerPortText, 'container', ` in ${quoted}`);
  if (!container.ok) return container;
  const containerLength = container.value.end - container.value.start;

  if (hostPortText === '') {
    return ok(expand(hostIp, null, container.value, protocol.value));
  }
  const host = parsePortRange(hostPortText, 'host', ` in ${quoted}`);
  if (!host.ok) return host;
  const hostLength = host.value.end - host.value.start;
  if (hostLength !== containerLength) {
    if (containerLength === 0) {
      // "6005-6015:80": the engine binds the first free host port of the range (Compose v2 sends it so).
      return ok([{ ...expand(hostIp, host.value.start, container.value, protocol.value)[0]!, hostPortEnd: host.value.end }]);
    }
    if (hostLength === 0) {
      return fail(
        `container port range "${containerPortText}" needs a host port range of the same length, ` +
          `or no host port, in ${quoted}`,
      );
    }
    return fail(
      `host port range "${hostPortText}" and container port range "${containerPortText}" ` +
        `differ in length in ${quoted}`,
    );
  }
  return ok(expand(hostIp, host.value.start, container.value, protocol.value));
}

interface ShortSpecParts {
  hostIp: string;
  /** '' when absent or empty: the engine picks. */
  hostPortText: string;
  containerPortText: string;
}

function splitShortSpec(spec: string, quoted: string): ParseResult<ShortSpecParts> {
  if (spec.startsWith('[')) {
    const close = spec.indexOf(']');
    if (close === -1) return fail(`invalid host IP in ${quoted}: missing "]"`);
    const hostIp = spec.slice(1, close);
    if (isIP(hostIp) === 0) return fail(`invalid host IP "${hostIp}" in ${quoted}`);
    const after = spec.slice(close + 1);
    const parts = after.split(':');
    if (parts.length !== 3 || parts[0] !== '') {
      return fail(
        `expected ":HOST_PORT:CONTAINER_PORT" after the host IP in ${quoted} ` +
          '(leave HOST_PORT empty to let the engine pick)',
      );
    }
    return ok({ hostIp, hostPortText: parts[1] ?? '', containerPortText: parts[2] ?? '' });
  }

  // As the docker CLI does: the last part is the container port, the one before it the host port,
  // and anything before those the host IP (so an unbracketed IPv6 address works too).
  const parts = spec.split(':');
  const containerPortText = parts[parts.length - 1] ?? '';
  const hostPortText = parts.length >= 2 ? (parts[parts.length - 2] ?? '') : '';
  const hostIp = parts.slice(0, -2).join(':');
  if (hostIp !== '' && isIP(hostIp) === 0) return fail(`invalid host IP "${hostIp}" in ${quoted}`);
  return ok({ hostIp, hostPortText, containerPortText });
}

/**
 * `role` names the port in messages; `where` ends them: ` in "70000:80"` for short syntax, '' for long
 * syntax, whose messages name the field instead (`published port 70000 out of range (1-65535)`).
 */
function parsePortRange(text: string, role: string, where: string): ParseResult<PortRange> {
  if (text === '') return fail(`missing ${role} port${where}`);
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (match === null) {
    return fail(`invalid ${role} port "${text}"${where}: expected a number or a range such as "8000-8010"`);
  }
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  const label = where === '' ? `${role} port` : 'port';
  for (const port of [start, end]) {
    if (port < PORT_MIN || port > PORT_MAX) {
      return fail(`${label} ${port} out of range (${PORT_MIN}-${PORT_MAX})${where}`);
    }
  }
  if (start > end) return fail(`invalid ${role} port range "${text}"${where}: the start is greater than the end`);
  return ok({ start, end });
}

function parseProtocol(text: string | undefined, where: string): ParseResult<Protocol> {
  if (text === undefined) return ok('tcp');
  if (text === 'tcp' || text === 'udp' || text === 'sctp') return ok(text);
  return fail(`unknown protocol "${text}"${where} ${PROTOCOL_HINT}`);
}

function expand(
  hostIp: string,
  hostStart: number | null,
  container: PortRange,
  protocol: Protocol,
): PortBinding[] {
  const bindings: PortBinding[] = [];
  for (let offset = 0; offset <= container.end - container.start; offset++) {
    bindings.push({
      hostIp,
      hostPort: hostStart === null ? null : hostStart + offset,
      containerPort: container.start + offset,
      protocol,
    });
  }
  return bindings;
}

/** Compose long syntax for one `ports:` entry; `name`, `app_protocol` and `x-*` keys do not bind. */
export interface PortLongSyntax {
  target: number | string;
  published?: number | string | null;
  host_ip?: string;
  protocol?: string;
  mode?: string;
  name?: string;
  app_protocol?: string;
}

/**
 * Parses Compose long syntax. `published` may be absent, null or '' (the engine picks), a port, or a
 * range (the engine picks a free host port in it). `mode` is host or ingress (one engine publishes
 * both alike, as docker compose does; ingress is the routing mesh only on Swarm). An IPv6 `host_ip` may be written with or without brackets.
 */
export function parsePortLong(input: PortLongSyntax): ParseResult<PortBinding[]> {
  const containerPort = parseSinglePort(input.target, 'target');
  if (!containerPort.ok) return containerPort;

  let hostPort: number | null = null;
  let hostPortEnd: number | null = null;
  const published = input.published;
  if (typeof published === 'string' && published.includes('-')) {
    const range = parsePortRange(published, 'published', '');
    if (!range.ok) return range;
    hostPort = range.value.start;
    if (range.value.end !== range.value.start) hostPortEnd = range.value.end;
  } else if (published !== undefined && published !== null && published !== '') {
    const single = parseSinglePort(published, 'published');
    if (!single.ok) return single;
    hostPort = single.value;
  }

  let hostIp = input.host_ip ?? '';
  if (hostIp.startsWith('[') && hostIp.endsWith(']')) hostIp = hostIp.slice(1, -1);
  if (hostIp !== '' && isIP(hostIp) === 0) return fail(`invalid host_ip "${input.host_ip}"`);

  const protocol = parseProtocol(input.protocol, '');
  if (!protocol.ok) return protocol;

  if (input.mode !== undefined && input.mode !== 'host' && input.mode !== 'ingress') {
    return fail(`unknown port mode "${input.mode}" (use host or ingress)`);
  }
  const binding: PortBinding = { hostIp, hostPort, containerPort: containerPort.value, protocol: protocol.value };
  if (hostPortEnd !== null) binding.hostPortEnd = hostPortEnd;
  return ok([binding]);
}

function parseSinglePort(value: number | string, field: 'target' | 'published'): ParseResult<number> {
  if (typeof value === 'string') {
    if (/^\d+-\d+$/.test(value) && field === 'target') {
      return fail(`target "${value}" must be a single port; use short syntax for port ranges`);
    }
    if (!/^\d+$/.test(value)) return fail(`invalid ${field} port "${value}": expected a port number`);
  } else if (!Number.isInteger(value)) {
    return fail(`invalid ${field} port ${value}: expected a whole number`);
  }
  const port = Number(value);
  if (port < PORT_MIN || port > PORT_MAX) {
    return fail(`${field} port ${value} out of range (${PORT_MIN}-${PORT_MAX})`);
  }
  return ok(port);
}

/**
 * Writes a binding in short syntax that parsePortShort reads back to the same binding:
 * `127.0.0.1:8080:80/tcp`, `[::1]:8080:80/tcp`, `8080:80/udp`, `127.0.0.1::80/tcp`, `80/tcp`.
 */
export function formatPortBinding(binding: PortBinding): string {
  const hostPort =
    binding.hostPort === null ? '' : binding.hostPortEnd === undefined ? String(binding.hostPort) : `${binding.hostPort}-${binding.hostPortEnd}`;
  const container = `${binding.containerPort}/${binding.protocol}`;
  if (binding.hostIp !== '') {
    const hostIp = binding.hostIp.includes(':') ? `[${binding.hostIp}]` : binding.hostIp;
    return `${hostIp}:${hostPort}:${container}`;
  }
  return hostPort === '' ? container : `${hostPort}:${container}`;
}
