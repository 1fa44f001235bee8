import type { Network } from '../desired-state/model.js';
import { COMPOSE_NETWORK, COMPOSE_PROJECT, COMPOSE_VERSION, OWNED_BY_COMPOSELET } from '../reconciler/labels.js';
import { COMPOSE_VERSION_VALUE } from './container-spec.js';

// A project network as the engine wants it: the body of POST /networks/create, as Compose v2 builds it
// (create.go `resolveOrCreateNetwork`), stamped with Compose's labels and composelet's ownership label.
// External networks are never created, so they have no create body.

/** The create body (Docker Engine API 1.41 field names). */
export interface NetworkCreateSpec {
  Name: string;
  CheckDuplicate: true;
  Driver?: string;
  Options: Record<string, string>;
  Internal: boolean;
  Attachable: boolean;
  EnableIPv6: boolean;
  IPAM?: { Driver?: string; Config: Array<Record<string, string>> };
  Labels: Record<string, string>;
}

/** Manifest `ipam.config` keys and the engine's names for them. */
const IPAM_FIELDS: Readonly<Record<string, string>> = { subnet: 'Subnet', ip_range: 'IPRange', gateway: 'Gateway' };

export function networkLabels(projectName: string, network: Network): Record<string, string> {
  return {
    ...network.labels,
    [COMPOSE_PROJECT]: projectName,
    [COMPOSE_NETWORK]: network.key,
    [COMPOSE_VERSION]: COMPOSE_VERSION_VALUE,
    [OWNED_BY_COMPOSELET]: 'true',
  };
}

export function buildNetworkSpec(projectName: string, network: Network): NetworkCreateSpec {
  const spec: NetworkCreateSpec = {
    Name: network.name,
    CheckDuplicate: true,
    Options: { ...network.driverOpts },
    Internal: network.internal,
    Attachable: network.attachable,
    EnableIPv6: network.enableIpv6,
    Labels: networkLabels(projectName, network),
  };
  if (network.driver !== null) spec.Driver = network.driver;
  if (network.ipam !== null && (network.ipam.driver !== null || network.ipam.config.length > 0)) {
    spec.IPAM = {
      ...(network.ipam.driver !== null ? { Driver: network.ipam.driver } : {}),
      Config: network.ipam.config.map((block) =>
        Object.fromEntries(
          Object.entries(block)
            .filter(([key]) => key in IPAM_FIELDS)
            .map(([key, value]) => [IPAM_FIELDS[key]!, value]),
        ),
      ),
    };
  }
  return spec;
}
