import { parseDockerHost } from '../../engine/docker-host.js';
import { UsageError } from '../../errors/kinds.js';

// The engines of a cluster's nodes, when composelet can reach them: `HOSTNAME=ADDRESS` pairs, from repeated
// `--swarm-node-engine` options and from COMPOSELET_SWARM_NODE_ENGINES (comma- or space-separated; what
// `composelet run` reads for its scheduled backups). HOSTNAME is the node's hostname as `docker node ls`
// shows it; ADDRESS is written as DOCKER_HOST is (unix:///path, tcp://host:port). A later pair wins.

export const NODE_ENGINES_VARIABLE = 'COMPOSELET_SWARM_NODE_ENGINES';

export function parseNodeEngines(entries: readonly string[], origin = '--swarm-node-engine'): Map<string, string> {
  const engines = new Map<string, string>();
  for (const entry of entries) {
    const separator = entry.indexOf('=');
    const nodeHostname = separator < 0 ? '' : entry.slice(0, separator).trim();
    const address = separator < 0 ? '' : entry.slice(separator + 1).trim();
    if (nodeHostname === '' || address === '') {
      throw new UsageError(`${origin} ${JSON.stringify(entry)}: expected HOSTNAME=unix:///path/to/docker.sock or HOSTNAME=tcp://host:port`);
    }
    try {
      parseDockerHost(address);
    } catch (error) {
      throw new UsageError(`${origin} ${JSON.stringify(entry)}: ${(error as Error).message.replace(/^(unsupported|invalid) DOCKER_HOST/, '$1 address')}`);
    }
    engines.set(nodeHostname, address);
  }
  return engines;
}

/** The variable's pairs, then the options' (which win). */
export function nodeEnginesFrom(options: { values: readonly string[]; environment: Readonly<Record<string, string | undefined>> }): Map<string, string> {
  const fromEnvironment = (options.environment[NODE_ENGINES_VARIABLE] ?? '').split(/[\s,]+/).filter(Boolean);
  return new Map([...parseNodeEngines(fromEnvironment, NODE_ENGINES_VARIABLE), ...parseNodeEngines(options.values)]);
}
