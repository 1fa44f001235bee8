import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../src/desired-state/load.js';
import { swarmDrift } from '../../src/swarm/drift/swarm-drift.js';
import { desiredSwarm } from '../../src/swarm/mapping/desired-swarm.js';
import type { DesiredSwarm } from '../../src/swarm/mapping/desired-swarm.js';
import { readFileObjectContents } from '../../src/swarm/model/file-contents.js';
import { eventually } from '../support/eventually.js';
import { writeManifestTree } from '../support/manifest-files.js';
import { runCliCaptured } from '../support/run-cli.js';
import { SwarmCluster } from '../support/swarm/cluster.js';

// A drained node on a real three-node Swarm: Swarm moves the tasks, composelet reports them moving (which
// service, which node, which state) and then converged, and never acts on placement itself.

const IMAGE = 'composelet/busybox:1';
const PROJECT = 'drained';
/** Healthy 6 s after it starts: a moved task is visibly not running for that long. */
const MANIFEST = `name: ${PROJECT}
x-composelet: { target: swarm }
services:
  api:
    image: ${IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 6; touch /tmp/ready; sleep 86400 & wait"]
    healthcheck: { test: ["CMD", "test", "-f", "/tmp/ready"], interval: 1s, retries: 60 }
    deploy: { replicas: 3, endpoint_mode: dnsrr }
`;

let cluster: SwarmCluster;
let directory: string;
let desired: DesiredSwarm;

beforeAll(async () => {
  cluster = await SwarmCluster.up({ images: [IMAGE] });
  directory = writeManifestTree({ 'compose.yaml': MANIFEST }, { directoryName: PROJECT });
  const loaded = loadDesiredState(directory, { environment: {} });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const project = loaded.state.projects[0]!;
  desired = desiredSwarm(project, readFileObjectContents(project));
}, 120_000);

afterAll(async () => {
  await cluster?.down();
}, 120_000);

const apply = (...extra: string[]) => runCliCaptured(['apply', directory, ...extra], { env: { PATH: process.env.PATH, DOCKER_HOST: cluster.managerHost } });

async function runningTasksByNode(): Promise<Map<string, number>> {
  const observed = await cluster.port().observe(PROJECT);
  const hostnames = new Map(observed.nodes.map((node) => [node.id, node.hostname]));
  const counts = new Map<string, number>();
  for (const task of observed.services.flatMap((service) => service.tasks)) {
    if (task.desiredState !== 'running' || task.state !== 'running') continue;
    const node = hostnames.get(task.nodeId) ?? task.nodeId;
    counts.set(node, (counts.get(node) ?? 0) + 1);
  }
  return counts;
}

describe('a drained node under a Swarm project', () => {
  it('must be reported as tasks moving (service, node, state), then as converged once Swarm placed them, with composelet changing nothing', async () => {
    const deployed = await apply();
    expect(deployed.code).toBe(0);
    const before = await runningTasksByNode();
    expect([...before.values()].reduce((sum, count) => sum + count, 0)).toBe(3);
    // A node holding tasks; the manager keeps managing while drained.
    const drainedHost = [...before.keys()].sort()[0]!;
    const drained = cluster.nodes.find((node) => node.hostname === drainedHost)!;
    expect(drained).toBeDefined();
    const spec = await cluster.docker('service', 'inspect', '--format', '{{.Version.Index}}', `${PROJECT}_api`);

    await cluster.docker('node', 'update', '--availability', 'drain', drained.id);

    // While Swarm moves them: the new tasks on the other nodes are not running yet (healthy after 6 s).
    const moving = await eventually(async () => {
      const api = swarmDrift(desired, await cluster.port().observe(PROJECT)).find((entry) => entry.service === 'api');
      const notRunning = api?.taskStates.filter((task) => task.desiredState === 'running' && task.state !== 'running') ?? [];
      if (notRunning.length === 0) throw new Error(`no task moving yet: ${JSON.stringify(api)}`);
      return { api: api!, notRunning };
    }, { timeoutMs: 30_000, intervalMs: 50 });
    expect(moving.api.differences).toEqual([]);
    expect(moving.api.tasks).toMatch(/running/);
    for (const task of moving.notRunning) {
      expect(task.node).not.toBe(drainedHost);
      expect(task.reason).toMatch(/not running/);
    }
    const planned = await apply('--dry-run');
    expect(planned.code).toBe(0);
    expect(planned.stdout).not.toContain('update-service');
    expect(planned.stdout).toMatch(/api: task \w+ on \S+ \w+ \(desired running\)/);
    const drift = await runCliCaptured(['drift', directory], { env: { PATH: process.env.PATH, DOCKER_HOST: cluster.managerHost } });
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/- api: task \w+ on \S+ \w+ \(desired running\)/);

    // Once Swarm has placed them: converged, all running on the other nodes, none on the drained one.
    await eventually(async () => {
      const drift = swarmDrift(desired, await cluster.port().observe(PROJECT));
      if (drift.length > 0) throw new Error(`still drifting: ${JSON.stringify(drift)}`);
    }, { timeoutMs: 60_000, intervalMs: 250 });
    const after = await runningTasksByNode();
    expect(after.get(drainedHost)).toBeUndefined();
    expect([...after.values()].reduce((sum, count) => sum + count, 0)).toBe(3);
    const converged = await apply('--dry-run');
    expect(converged.stdout).toContain('nothing to do');
    expect(converged.stdout).toContain('tasks: all running where Swarm wants them');
    const inSync = await runCliCaptured(['drift', directory], { env: { PATH: process.env.PATH, DOCKER_HOST: cluster.managerHost } });
    expect(inSync.stdout).toContain(`## ${PROJECT} (swarm)`);
    expect(inSync.code).toBe(0);
    // composelet did not touch the service: its version is the one before the drain.
    expect(await cluster.docker('service', 'inspect', '--format', '{{.Version.Index}}', `${PROJECT}_api`)).toBe(spec);
  });
});
