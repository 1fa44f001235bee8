import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/audit/audit-entry.js';
import type { DriftReport } from '../../src/drift/model.js';
import { killAllControllers, metricValue, printLogsIfFailed, startControllerProcess, type ControllerProcess } from '../support/controller-process.js';
import { eventually } from '../support/eventually.js';
import { writeManifestTree } from '../support/manifest-files.js';
import { SwarmCluster } from '../support/swarm/cluster.js';

// `composelet run` keeping a Swarm project converged, on a real three-node cluster: the controller from
// dist/ with DOCKER_HOST the manager's socket, asserted on the cluster's state, the audit log and /status.

const IMAGE = 'composelet/busybox:1';
const LONG_RUNNING = `["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]`;

const manifest = (options: { apiExtra?: string } = {}) => `name: fleet
x-composelet:
  target: swarm
  policy: { rules: { no-privileged: error } }
services:
  db:
    image: ${IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 2; touch /tmp/ready; sleep 86400 & wait"]
    healthcheck: { test: ["CMD", "test", "-f", "/tmp/ready"], interval: 1s, retries: 30 }
    deploy: { endpoint_mode: dnsrr }
  api:
    image: ${IMAGE}
    command: ${LONG_RUNNING}
    mem_limit: 32m
    depends_on: { db: { condition: service_healthy } }
    deploy:
      replicas: 2
      endpoint_mode: dnsrr
      placement: { max_replicas_per_node: 1 }
      update_config: { parallelism: 2, monitor: 1s }
${options.apiExtra ?? ''}`;

let cluster: SwarmCluster;
let root: string;
let controller: ControllerProcess | undefined;
let driftDirectory: string;

beforeAll(async () => {
  cluster = await SwarmCluster.up({ images: [IMAGE] });
  root = writeManifestTree({ 'fleet/compose.yaml': manifest() }, { directoryName: 'swarm-controller' });
  driftDirectory = mkdtempSync(join(tmpdir(), 'composelet-swarm-drift-'));
  controller = await startControllerProcess({
    root,
    resync: '2s',
    env: { DOCKER_HOST: cluster.managerHost },
    extraArgs: ['--drift-interval', '2s', '--drift-report-dir', driftDirectory],
  });
}, 120_000);

afterEach((context) => printLogsIfFailed(context, [controller]));

afterAll(async () => {
  await killAllControllers();
  await cluster?.down();
}, 120_000);

function auditEntries(): AuditEntry[] {
  return readFileSync(`${root}.audit.log`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditEntry);
}

async function service(name: string): Promise<{ version: number; memory: number; privileged: boolean; createdAt: number; tasks: Array<{ state: string; node: string }> }> {
  const observed = await cluster.port().observe('fleet');
  const found = observed.services.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`${name} not on the cluster`);
  const template = found.spec['TaskTemplate'] as { Resources?: { Limits?: { MemoryBytes?: number } }; ContainerSpec?: { Privileges?: unknown } };
  return {
    version: found.version,
    memory: template.Resources?.Limits?.MemoryBytes ?? 0,
    privileged: JSON.stringify(template.ContainerSpec ?? {}).includes('"Privileged":true'),
    createdAt: Math.min(...found.tasks.map((task) => Date.parse(task.createdAt))),
    tasks: found.tasks.filter((task) => task.desiredState === 'running').map((task) => ({ state: task.state, node: task.nodeId })),
  };
}

describe('composelet run with a project that targets Swarm', () => {
  it('must deploy it in dependency order (db healthy before api is created) and audit every service it created', async () => {
    const status = await eventually(
      async () => {
        const project = await controller!.projectStatus('fleet');
        expect(project.lastReconcile).toMatchObject({ result: 'success', operations: 0 });
        expect(project.swarm?.services['api']?.replicasRunning).toBe(2);
        return project;
      },
      { timeoutMs: 60_000, message: 'fleet deployed on Swarm' },
    );
    const [db, api] = [await service('fleet_db'), await service('fleet_api')];
    expect(api.tasks.map((task) => task.state)).toEqual(['running', 'running']);
    expect(new Set(api.tasks.map((task) => task.node)).size).toBe(2);
    // db became healthy 2 s after it started: api was created only after that.
    expect(api.createdAt - db.createdAt).toBeGreaterThanOrEqual(2_000);

    const entries = auditEntries();
    const created = entries.filter((entry) => entry.action === 'create-service');
    expect(created.map((entry) => [entry.resource, entry.result, entry.actor])).toEqual([
      ['service:fleet_api', 'succeeded', 'controller'],
      ['service:fleet_db', 'succeeded', 'controller'],
    ]);
    expect(created.every((entry) => entry.specHashAfter !== null)).toBe(true);
    // The intent line came first, naming what was about to be done.
    const intent = entries.findIndex((entry) => entry.action === 'intent' && entry.cause.includes('create-service service:fleet_db'));
    expect(intent).toBeGreaterThanOrEqual(0);
    expect(intent).toBeLessThan(entries.indexOf(created[0]!));

    // /status: replicas desired and running, and on which nodes.
    expect(status.swarm?.services['api']).toMatchObject({ replicasDesired: 2, replicasRunning: 2, lastOutcome: { result: 'succeeded' } });
    expect(Object.values(status.swarm!.services['api']!.tasksPerNode)).toEqual([1, 1]);
    expect(status.swarm?.services['db']).toMatchObject({ replicasDesired: 1, replicasRunning: 1 });
    expect(Object.keys(status.swarm!.nodes)).toHaveLength(3);
    // The operations are counted like one host's.
    const metrics = await controller!.metrics();
    expect(metricValue(metrics, 'composelet_actions_total', { kind: 'create-service', result: 'succeeded' })).toBe(2);

    // The drift pass compares with Swarm's service specs (not with containers on the manager): in sync.
    await eventually(
      () => {
        const report = JSON.parse(readFileSync(join(driftDirectory, 'latest.json'), 'utf8')) as DriftReport;
        const fleet = report.projects.find((project) => project.name === 'fleet');
        expect(fleet?.services.map((entry) => [entry.name, entry.status])).toEqual([['api', 'in-sync'], ['db', 'in-sync']]);
      },
      { timeoutMs: 20_000, message: 'the drift report says fleet is in sync' },
    );
  });

  it('must put back a limit changed out of band (`docker service update --limit-memory`), saying it drifted', async () => {
    const before = await service('fleet_api');
    await cluster.docker('service', 'update', '--detach', '--limit-memory', '64M', 'fleet_api');
    const update = await eventually(
      async () => {
        const entry = auditEntries().find((candidate) => candidate.action === 'update-service' && candidate.resource === 'service:fleet_api');
        expect(entry).toBeDefined();
        return entry!;
      },
      { timeoutMs: 45_000, message: 'the controller updated fleet_api back' },
    );
    expect(update).toMatchObject({ result: 'succeeded', cause: 'spec differs at /TaskTemplate/Resources/Limits/MemoryBytes' });
    const api = await service('fleet_api');
    expect(api.version).toBeGreaterThan(before.version + 1); // changed by hand, then back by the controller
    expect(api.memory).toBe(32 * 1024 * 1024);
    expect(controller!.logs().some((line) => /converging on Swarm: update-service service:fleet_api \(spec differs at \/TaskTemplate\/Resources\/Limits\/MemoryBytes\)/.test(line.msg))).toBe(true);
  });

  it('must block an edit that breaks a policy rule set to error, reporting it and leaving the services as they run', async () => {
    await eventually(async () => expect((await controller!.projectStatus('fleet')).lastReconcile).toMatchObject({ result: 'success', operations: 0 }), { timeoutMs: 30_000 });
    const before = await service('fleet_api');
    const since = Date.now();
    writeFileSync(join(root, 'fleet/compose.yaml'), manifest({ apiExtra: '    privileged: true\n' }));
    const status = await eventually(
      async () => {
        const project = await controller!.projectStatus('fleet');
        expect(project.manifest.valid).toBe(false);
        expect(project.lastReconcile!.at).toBeGreaterThan(since);
        return project;
      },
      { timeoutMs: 30_000, message: 'the policy error reported' },
    );
    expect(status.manifest.issues.join('\n')).toContain('no-privileged');
    expect(controller!.logs().some((line) => line.msg.startsWith('policy errors'))).toBe(true);
    const after = await service('fleet_api');
    expect(after.version).toBe(before.version);
    expect(after.privileged).toBe(false);
  });
});

describe('composelet run --prune when a Swarm project directory is removed', () => {
  it('must remove the services and networks that project owns, audited, and leave every other project on the cluster', async () => {
    const pruneRoot = writeManifestTree(
      { 'gone/compose.yaml': `name: gone\nx-composelet: { target: swarm }\nservices:\n  web:\n    image: ${IMAGE}\n    command: ${LONG_RUNNING}\n    deploy: { endpoint_mode: dnsrr }\n` },
      { directoryName: 'swarm-prune' },
    );
    const pruning = await startControllerProcess({ root: pruneRoot, resync: '2s', env: { DOCKER_HOST: cluster.managerHost }, extraArgs: ['--prune'] });
    try {
      await eventually(async () => expect((await cluster.port().observe('gone')).services.map((found) => found.name)).toEqual(['gone_web']), {
        timeoutMs: 60_000,
        message: 'gone_web on the cluster',
      });
      const fleetBefore = (await cluster.port().observe('fleet')).services.map((found) => `${found.name}@${found.version}`).sort();
      rmSync(join(pruneRoot, 'gone'), { recursive: true, force: true });
      await eventually(
        async () => {
          const left = await cluster.port().observe('gone');
          expect(left.services).toEqual([]);
          // observe() lists every network of the cluster (a project may use external ones): the project's own are gone.
          expect(left.networks.filter((network) => network.labels['com.docker.compose.project'] === 'gone').map((network) => network.name)).toEqual([]);
        },
        { timeoutMs: 60_000, message: 'the project gone from the cluster' },
      );
      const removals = readFileSync(`${pruneRoot}.audit.log`, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as AuditEntry)
        .filter((entry) => entry.action.startsWith('remove-'))
        .map((entry) => `${entry.action} ${entry.resource} ${entry.result}`)
        .sort();
      expect(removals).toEqual(['remove-network network:gone_default succeeded', 'remove-service service:gone_web succeeded']);
      // The other controller's project is untouched.
      expect((await cluster.port().observe('fleet')).services.map((found) => `${found.name}@${found.version}`).sort()).toEqual(fleetBefore);
    } finally {
      await pruning.kill();
    }
  }, 180_000);
});
