import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../src/desired-state/load.js';
import { desiredSwarm } from '../../src/swarm/mapping/desired-swarm.js';
import { readFileObjectContents } from '../../src/swarm/model/file-contents.js';
import { swarmDrift } from '../../src/swarm/drift/swarm-drift.js';
import { eventually } from '../support/eventually.js';
import { writeManifestTree } from '../support/manifest-files.js';
import { runCliCaptured } from '../support/run-cli.js';
import { SwarmCluster } from '../support/swarm/cluster.js';

// Scenarios on a real three-node Swarm (scripts/swarm-cluster.sh): one intent each, asserted on the
// cluster's own state.

const IMAGE = 'composelet/busybox:1';
const LONG_RUNNING = `["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]`;

const MANIFEST = `name: ordered
x-composelet: { target: swarm }
services:
  db:
    image: ${IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3; touch /tmp/ready; sleep 86400 & wait"]
    healthcheck: { test: ["CMD", "test", "-f", "/tmp/ready"], interval: 1s, retries: 30 }
    ulimits: { nofile: { soft: 1536, hard: 3072 } }
    deploy: { endpoint_mode: dnsrr }
  migrate:
    image: ${IMAGE}
    command: ["sh", "-c", "sleep 1; exit 0"]
    depends_on: { db: { condition: service_healthy } }
    deploy: { restart_policy: { condition: none } }
  api:
    image: ${IMAGE}
    command: ${LONG_RUNNING}
    mem_limit: 32m
    depends_on:
      db: { condition: service_healthy }
      migrate: { condition: service_completed_successfully }
    ports: [{ target: 8080, published: 18080, mode: host }]
    deploy: { replicas: 3, endpoint_mode: dnsrr, placement: { max_replicas_per_node: 1 } }
`;

let cluster: SwarmCluster;
let directory: string;

beforeAll(async () => {
  cluster = await SwarmCluster.up({ images: [IMAGE] });
  directory = writeManifestTree({ 'compose.yaml': MANIFEST }, { directoryName: 'ordered' });
}, 120_000);

afterAll(async () => {
  await cluster?.down();
}, 120_000);

const apply = (...extra: string[]) => runCliCaptured(['apply', directory, ...extra], { env: { PATH: process.env.PATH, DOCKER_HOST: cluster.managerHost } });

interface TaskRow {
  service: string;
  node: string;
  state: string;
  createdAt: number;
}

async function tasks(): Promise<TaskRow[]> {
  const port = cluster.port();
  const observed = await port.observe('ordered');
  const hostnames = new Map(observed.nodes.map((node) => [node.id, node.hostname]));
  return observed.services.flatMap((service) =>
    service.tasks.map((task) => ({ service: service.name, node: hostnames.get(task.nodeId) ?? task.nodeId, state: task.state, createdAt: Date.parse(task.createdAt) })),
  );
}

describe('a project that targets Swarm', () => {
  it('must be deployed in dependency order across the nodes: db healthy, then the one-shot migrate completed, then api', async () => {
    const result = await apply();
    expect(result.stderr).not.toMatch(/failed|skipped/);
    expect(result.code).toBe(0);
    const rows = await tasks();
    const first = (service: string) => Math.min(...rows.filter((row) => row.service === service).map((row) => row.createdAt));
    const db = rows.filter((row) => row.service === 'ordered_db');
    const migrate = rows.filter((row) => row.service === 'ordered_migrate');
    const api = rows.filter((row) => row.service === 'ordered_api');
    expect(db.map((row) => row.state)).toEqual(['running']);
    expect(migrate.map((row) => row.state)).toEqual(['complete']);
    expect(api.map((row) => row.state)).toEqual(['running', 'running', 'running']);
    // One api task per node (max_replicas_per_node 1): Swarm placed them across the three nodes.
    expect(new Set(api.map((row) => row.node)).size).toBe(3);
    // db became healthy 3 s after it started; migrate was created only after that, api after migrate.
    expect(first('ordered_migrate') - first('ordered_db')).toBeGreaterThanOrEqual(3000);
    expect(first('ordered_api')).toBeGreaterThan(first('ordered_migrate'));
  });

  it('must run the task with the ulimits written, on whichever node Swarm placed it', async () => {
    const [task] = (await cluster.port().observe('ordered')).services.find((service) => service.name === 'ordered_db')!.tasks.filter((entry) => entry.state === 'running');
    const node = cluster.nodes.find((candidate) => candidate.id === task!.nodeId)!;
    const onNode = async (...args: string[]) => (await cluster.dockerOn(node, ...args)).trim();
    const container = await onNode('ps', '-q', '--filter', 'label=com.docker.swarm.service.name=ordered_db');
    // The task's own process (PID 1), as the kernel holds its limits: soft, hard.
    const limits = await onNode('exec', container, 'cat', '/proc/1/limits');
    expect(limits).toMatch(/^Max open files\s+1536\s+3072\s+files\s*$/m);
  });

  it('must publish a mode: host port on the node of each task, not through the routing mesh', async () => {
    const ports = JSON.parse(await cluster.docker('service', 'inspect', '--format', '{{json .Spec.EndpointSpec.Ports}}', 'ordered_api'));
    expect(ports).toEqual([{ Protocol: 'tcp', TargetPort: 8080, PublishedPort: 18080, PublishMode: 'host' }]);
    const taskIds = (await cluster.docker('service', 'ps', '-q', '--filter', 'desired-state=running', 'ordered_api')).trim().split('\n');
    expect(taskIds).toHaveLength(3);
    for (const taskId of taskIds) {
      const status = JSON.parse(await cluster.docker('inspect', '--format', '{{json .Status.PortStatus.Ports}}', taskId));
      // One entry per address family the node binds (IPv4 and IPv6 here), each the host-mode port.
      expect(status.length).toBeGreaterThanOrEqual(1);
      for (const entry of status) expect(entry).toEqual({ Protocol: 'tcp', TargetPort: 8080, PublishedPort: 18080, PublishMode: 'host' });
    }
  });

  it('must change nothing when applied again', async () => {
    const result = await apply();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('nothing to do');
  });

  it('must report an out-of-band `docker service update --limit-memory` as drift, and apply must put the desired limit back', async () => {
    await cluster.docker('service', 'update', '--detach', '--limit-memory', '64M', 'ordered_api');
    const loaded = loadDesiredState(directory, { environment: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const project = loaded.state.projects[0]!;
    const desired = desiredSwarm(project, readFileObjectContents(project));
    const drift = swarmDrift(desired, await cluster.port().observe('ordered'));
    const api = drift.find((entry) => entry.service === 'api');
    expect(api?.differences).toEqual([{ path: '/TaskTemplate/Resources/Limits/MemoryBytes', desired: 32 * 1024 * 1024, observed: 64 * 1024 * 1024 }]);
    expect(drift.filter((entry) => entry.differences.length > 0).map((entry) => entry.service)).toEqual(['api']);

    const result = await apply();
    expect(result.stdout).toContain('update-service service:ordered_api (spec differs at /TaskTemplate/Resources/Limits/MemoryBytes)');
    expect(result.code).toBe(0);
    const limit = await cluster.docker('service', 'inspect', '--format', '{{.Spec.TaskTemplate.Resources.Limits.MemoryBytes}}', 'ordered_api');
    expect(limit.trim()).toBe(String(32 * 1024 * 1024));
  });

  it('must report tasks that are not running as drift', async () => {
    await cluster.docker('service', 'scale', '--detach', 'ordered_api=0');
    const loaded = loadDesiredState(directory, { environment: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const project = loaded.state.projects[0]!;
    const desired = desiredSwarm(project, readFileObjectContents(project));
    const drift = await eventually(async () => {
      const entries = swarmDrift(desired, await cluster.port().observe('ordered'));
      const api = entries.find((entry) => entry.service === 'api');
      if (!api?.tasks?.startsWith('0/3 running')) throw new Error(`api: ${JSON.stringify(api)}`);
      return api;
    }, { timeoutMs: 30_000 });
    expect(drift.differences.map((difference) => difference.path)).toEqual(['/Mode/Replicated/Replicas']);
  });

  it('drift of a manifest that mixes Swarm and one-engine projects must print one JSON document, an environment value as a marker', async () => {
    await cluster.docker('service', 'update', '--detach', '--env-add', 'DB_PASSWORD=leaked-in-band', 'ordered_api');
    const root = writeManifestTree({ 'ordered/compose.yaml': MANIFEST, 'local/compose.yaml': `services:\n  box:\n    image: ${IMAGE}\n    command: ${LONG_RUNNING}\n` });
    const result = await eventually(async () => {
      const drift = await runCliCaptured(['drift', root, '--format', 'json'], { env: { PATH: process.env.PATH, DOCKER_HOST: cluster.managerHost } });
      expect(drift.stdout).toContain('/TaskTemplate/ContainerSpec/Env');
      return drift;
    }, { timeoutMs: 30_000, message: 'the out-of-band Env in the drift report' });
    expect(result.code).toBe(2);
    expect(result.stdout).not.toContain('leaked-in-band');
    const report = JSON.parse(result.stdout);
    const schema = JSON.parse(readFileSync(new URL('../../schemas/drift-report.v1.json', import.meta.url), 'utf8'));
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    validate(report);
    expect(validate.errors ?? []).toEqual([]);
    expect(report.inSync).toBe(false);
    expect(report.projects.map((project: { name: string }) => project.name)).toEqual(['local']);
    expect(report.projects[0].services).toEqual([expect.objectContaining({ name: 'box', status: 'missing' })]);
    expect(report.swarm.projects.map((project: { name: string }) => project.name)).toEqual(['ordered']);
    const api = report.swarm.projects[0].services.find((service: { service: string }) => service.service === 'api');
    const env = api.differences.find((difference: { path: string }) => difference.path === '/TaskTemplate/ContainerSpec/Env');
    expect(env).toEqual({ path: '/TaskTemplate/ContainerSpec/Env', desired: null, observed: expect.stringMatching(/^<redacted:[0-9a-f]{8}>$/) });
  });
});
