import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { createDockerodeSwarm } from '../../../src/swarm/engine/dockerode-swarm.js';
import type { SwarmPort } from '../../../src/swarm/engine/swarm-port.js';

// A three-node Swarm of its own for a test file: scripts/swarm-cluster.sh up (three dockerd in network
// namespaces of their own, node 1 the manager), torn down by `down`, which leaves nothing behind.

const execFileAsync = promisify(execFile);
const SCRIPT = new URL('../../../scripts/swarm-cluster.sh', import.meta.url).pathname;

export interface SwarmNode {
  host: string;
  id: string;
  hostname: string;
}

export class SwarmCluster {
  private constructor(
    readonly name: string,
    readonly nodes: SwarmNode[],
  ) {}

  /** The manager's socket: what DOCKER_HOST names for composelet. */
  get managerHost(): string {
    return this.nodes[0]!.host;
  }

  /** `imageNodes` (1-3): load the images only onto those nodes (default: all three). */
  static async up(options: { images: readonly string[]; imageNodes?: readonly number[] }): Promise<SwarmCluster> {
    if (process.getuid?.() !== 0) throw new Error('the Swarm tests start three dockerd of their own and must run as root');
    const name = `s${randomBytes(3).toString('hex')}`;
    const { stdout } = await execFileAsync('bash', [SCRIPT, 'up', '--name', name, ...options.images.flatMap((image) => ['--image', image]), ...(options.imageNodes ?? []).flatMap((node) => ['--image-node', String(node)])], {
      maxBuffer: 1 << 20,
    });
    const environment = Object.fromEntries(
      readFileSync(stdout.trim(), 'utf8')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    const nodes = [1, 2, 3].map((index) => ({
      host: environment[`SWARM_NODE${index}_HOST`]!,
      id: environment[`SWARM_NODE${index}_ID`]!,
      hostname: environment[`SWARM_NODE${index}_NAMESPACE`]!,
    }));
    return new SwarmCluster(name, nodes);
  }

  async down(): Promise<void> {
    await execFileAsync('bash', [SCRIPT, 'down', '--name', this.name]);
  }

  port(): SwarmPort {
    return createDockerodeSwarm({ dockerHost: this.managerHost });
  }

  /** The docker CLI against the manager, for out-of-band changes. */
  async docker(...args: string[]): Promise<string> {
    return this.dockerOn(this.nodes[0]!, ...args);
  }

  /** The docker CLI against one node's own engine: the tests' side door to a task's container. */
  async dockerOn(node: SwarmNode, ...args: string[]): Promise<string> {
    const { stdout } = await execFileAsync('docker', ['--host', node.host, ...args]);
    return stdout;
  }
}
