import type { Project, Service } from '../../desired-state/model.js';
import { parsePortShort } from '../../desired-state/syntax/ports.js';
import { servicePath, type ManifestPath, type ProjectRule, type ServiceRule } from './swarm-rule.js';
import { asRecord, rawServiceEntries } from './written-keys.js';

// Networking on a cluster: tasks attach to overlay networks only, a published port is published on every
// node through the ingress routing mesh, and an address pinned to one host means nothing on the others.

const ANY_ADDRESS = new Set(['', '0.0.0.0', '::', '[::]']);

export const NETWORK_RULES: Array<ServiceRule | ProjectRule> = [
  {
    scope: 'service',
    key: 'network_mode',
    severity: 'error',
    reason: 'Swarm tasks attach to networks only: no host, none, bridge, container: or service: network mode',
    fix: 'remove network_mode and list the service\'s networks (overlay); for the host\'s stack, attach the predefined "host" network as an external network',
    check: (service) => (service.networkMode !== null ? [servicePath(service, 'network_mode')] : []),
  },
  {
    scope: 'service',
    key: 'links',
    severity: 'warning',
    reason: 'Swarm has no links: a service is reached by its name on a shared network, and a link alias is not created',
    fix: 'remove links (composelet still orders by depends_on); give another name with `networks.<network>.aliases`',
    check: (service) => (service.links.length > 0 ? [servicePath(service, 'links')] : []),
  },
  {
    scope: 'service',
    key: 'ports',
    severity: 'warning',
    reason: 'Swarm publishes a port on every node through its ingress routing mesh, which needs IPVS in each node\'s kernel (without it, connections to the port fail)',
    fix: 'check that the nodes\' kernels have IPVS (ip_vs), or reach the service over an overlay network from a proxy',
    check: (service) => (service.ports.length > (service.swarm?.hostModePorts?.length ?? 0) ? [servicePath(service, 'ports')] : []),
  },
  {
    scope: 'service',
    key: 'ports[].host_ip',
    severity: 'error',
    reason: 'Swarm publishes on every interface of every node: a port bound to one address (127.0.0.1 on one host) would be open on all of them',
    fix: 'remove the port and reach the service over an overlay network, or publish it without an address and firewall it',
    check: (service, project) => hostIpPaths(service, project),
  },
  {
    scope: 'service',
    key: 'ports[].mode: host',
    severity: 'warning',
    reason: 'mode host publishes the port on the node that runs the task, not through the routing mesh: two tasks of the service on one node want the same port, and Swarm leaves the second pending',
    fix: 'run one task per node (deploy.mode: global, or deploy.placement.max_replicas_per_node: 1), or leave published out so each task gets a free port',
    check: (service, project) => {
      const swarm = service.swarm;
      const onePerNode = swarm?.mode === 'global' || swarm?.mode === 'global-job' || swarm?.placement?.maxReplicasPerNode === 1 || service.replicas <= 1;
      if (onePerNode) return [];
      return portEntries(service, project)
        .filter(({ entry }) => {
          const record = asRecord(entry);
          return record?.['mode'] === 'host' && record['published'] !== undefined && record['published'] !== null && record['published'] !== '';
        })
        .map(({ index }) => servicePath(service, 'ports', index, 'mode'));
    },
  },
  {
    scope: 'service',
    key: 'networks.<network>.ipv4_address',
    severity: 'warning',
    reason: 'Swarm gives each task an address from the network\'s pool: a fixed address is not passed',
    fix: 'remove ipv4_address/ipv6_address and reach the service by its name',
    check: (service) =>
      Object.entries(service.networks).flatMap(([key, network]) => [
        ...(network.ipv4Address !== null ? [servicePath(service, 'networks', key, 'ipv4_address')] : []),
        ...(network.ipv6Address !== null ? [servicePath(service, 'networks', key, 'ipv6_address')] : []),
      ]),
  },
  {
    scope: 'project',
    key: 'networks.<network>.driver',
    severity: 'error',
    reason: 'a Swarm service attaches to swarm-scoped networks only (overlay): a bridge or other local network exists on one node',
    fix: 'use driver: overlay (the default on Swarm: leave driver out), or make the network external',
    check: (project) =>
      Object.values(project.networks)
        .filter((network) => !network.external && network.driver !== null && network.driver !== 'overlay')
        .map((network) => ['networks', network.key, 'driver']),
  },
];

/** The port entries as written in the last file that writes ports for the service (its index there). */
function portEntries(service: Service, project: Project): Array<{ entry: unknown; index: number }> {
  const written = rawServiceEntries(project, service.name)
    .map((entry) => entry['ports'])
    .filter(Array.isArray);
  return written.flatMap((ports) => (ports as unknown[]).map((entry, index) => ({ entry, index })));
}

function hostIpPaths(service: Service, project: Project): ManifestPath[] {
  const paths: ManifestPath[] = [];
  let seen = false;
  for (const { entry, index } of portEntries(service, project)) {
    seen = true;
    const record = asRecord(entry);
    if (record) {
      if (typeof record['host_ip'] === 'string' && !ANY_ADDRESS.has(record['host_ip'])) paths.push(servicePath(service, 'ports', index, 'host_ip'));
      continue;
    }
    if (typeof entry !== 'string' && typeof entry !== 'number') continue;
    const parsed = parsePortShort(entry);
    if (parsed.ok && parsed.value.some((binding) => !ANY_ADDRESS.has(binding.hostIp))) paths.push(servicePath(service, 'ports', index));
  }
  // Files the loader did not keep (several documents): the model says whether any port has an address.
  if (!seen && service.ports.some((binding) => !ANY_ADDRESS.has(binding.hostIp))) paths.push(servicePath(service, 'ports'));
  return paths;
}
