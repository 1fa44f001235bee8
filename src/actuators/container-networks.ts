import type { Project, Service, ServiceNetwork } from '../desired-state/model.js';

// Where a service's container is attached, as Compose v2 decides it (create.go `defaultNetworkSettings`):
// `network_mode` when given, else the service's networks by priority (highest first, then by key). Engine
// API 1.41 takes one endpoint at create, so the create body names the primary network only and the
// others are joined after create by connect-network operations (`additionalNetworks`).

export interface NetworkAttachment {
  /** Key of the network in the manifest. */
  key: string;
  /** Engine name of the network. */
  name: string;
  /** DNS aliases on that network: the service name, then the aliases written for it. */
  aliases: string[];
  ipv4Address: string | null;
  ipv6Address: string | null;
  macAddress: string | null;
}

export interface ContainerNetworking {
  networkMode: string;
  networkDisabled: boolean;
  endpointsConfig: Record<string, Record<string, unknown>>;
  /** The primary network's mac_address, else the service's (v2's prepareContainerMACAddress). */
  macAddress: string | null;
}

/** Network keys of a service, by priority (highest first), then by key. */
export function networksByPriority(service: Service): string[] {
  return Object.entries(service.networks)
    .sort(([leftKey, left], [rightKey, right]) => right.priority - left.priority || (leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : 0))
    .map(([key]) => key);
}

/** Every network the service joins, primary first. */
export function serviceAttachments(project: Project, service: Service): NetworkAttachment[] {
  return networksByPriority(service).map((key) => attachment(project, service, key, service.networks[key]!));
}

/** The networks to connect after create: all but the primary one. */
export function additionalNetworks(project: Project, service: Service): NetworkAttachment[] {
  return serviceAttachments(project, service).slice(1);
}

/** `links`: "container:alias" entries, put on the primary endpoint as Compose v2 does (they make the aliases
 * resolvable on a user-defined network). */
export function buildNetworking(
  project: Project,
  service: Service,
  containerNameOf: (service: string) => string,
  links: readonly string[] = [],
): ContainerNetworking {
  const macAddress = service.macAddress;
  if (service.networkMode !== null) {
    if (service.networkMode === 'disabled') return { networkMode: 'none', networkDisabled: true, endpointsConfig: {}, macAddress: null };
    return { networkMode: resolveServiceReference(service.networkMode, containerNameOf), networkDisabled: false, endpointsConfig: {}, macAddress };
  }
  const primary = serviceAttachments(project, service)[0];
  if (primary === undefined) return { networkMode: 'none', networkDisabled: false, endpointsConfig: {}, macAddress };
  const withMac = { ...primary, macAddress: primary.macAddress ?? macAddress };
  const settings = endpointSettings(withMac);
  if (links.length > 0) settings['Links'] = [...links];
  return { networkMode: primary.name, networkDisabled: false, endpointsConfig: { [primary.name]: settings }, macAddress: withMac.macAddress };
}

/** The body of an endpoint (create's EndpointsConfig entry, or connect's EndpointConfig). */
export function endpointSettings(attachment: NetworkAttachment): Record<string, unknown> {
  const settings: Record<string, unknown> = { Aliases: [...attachment.aliases] };
  if (attachment.macAddress !== null) settings['MacAddress'] = attachment.macAddress;
  if (attachment.ipv4Address !== null || attachment.ipv6Address !== null) {
    settings['IPAMConfig'] = {
      ...(attachment.ipv4Address !== null ? { IPv4Address: attachment.ipv4Address } : {}),
      ...(attachment.ipv6Address !== null ? { IPv6Address: attachment.ipv6Address } : {}),
    };
  }
  return settings;
}

/**
 * `service:NAME` (in network_mode, pid and ipc) names another service's container; the engine knows it as
 * `container:<its name>` (replica 1, as Compose picks the first container). Anything else is kept.
 */
export function resolveServiceReference(mode: string, containerNameOf: (service: string) => string): string {
  if (!mode.startsWith('service:')) return mode;
  return `container:${containerNameOf(mode.slice('service:'.length))}`;
}

function attachment(project: Project, service: Service, key: string, settings: ServiceNetwork): NetworkAttachment {
  return {
    key,
    name: project.networks[key]?.name ?? key,
    aliases: [service.name, ...settings.aliases.filter((alias) => alias !== service.name)],
    ipv4Address: settings.ipv4Address,
    ipv6Address: settings.ipv6Address,
    macAddress: settings.macAddress,
  };
}
