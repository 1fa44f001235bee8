import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GitStatus } from '../../src/git/git-status.js';
import { killAllControllers, printLogsIfFailed, startControllerProcess, type ControllerProcess } from '../support/controller-process.js';
import { eventually } from '../support/eventually.js';
import { startGitDaemon, type GitDaemon } from '../support/git-servers/git-daemon.js';
import { createTestRepository, type TestRepository } from '../support/git-servers/repository.js';
import { SwarmCluster } from '../support/swarm/cluster.js';

// `run --git` with a project that targets Swarm, on a real three-node cluster and a git daemon on loopback:
// a commit is deployed to the cluster, and a commit whose Swarm deploy fails is quarantined like on one host.

const IMAGE = 'composelet/busybox:1';
const SLEEP = `["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]`;
const shop = (greeting: string, extra = '') => `name: shop
x-composelet: { target: swarm }
services:
  api:
    image: ${IMAGE}
    command: ${SLEEP}
    environment: { GREETING: ${greeting} }
    deploy: { replicas: 2, endpoint_mode: dnsrr, update_config: { parallelism: 2, monitor: 1s } }
${extra}`;
// A one-shot migration that fails: a job whose task exits 1.
const FAILING_MIGRATION = `  migrate:
    image: ${IMAGE}
    command: ["sh", "-c", "echo schema mismatch; exit 1"]
    deploy: { restart_policy: { condition: none } }
`;

let cluster: SwarmCluster;
let repository: TestRepository;
let daemon: GitDaemon;
let controller: ControllerProcess | undefined;

beforeAll(async () => {
  cluster = await SwarmCluster.up({ images: [IMAGE] });
  repository = createTestRepository();
  repository.commit({ 'stacks/shop/compose.yaml': shop('one') });
  daemon = await startGitDaemon(repository.baseDirectory);
  const base = mkdtempSync(join(tmpdir(), 'composelet-swarm-git-'));
  controller = await startControllerProcess({
    root: join(base, 'run'),
    rootArgument: false,
    resync: '2s',
    env: { DOCKER_HOST: cluster.managerHost },
    extraArgs: ['--git', daemon.url('origin.git'), '--git-path', 'stacks', '--poll', '1s'],
  });
}, 120_000);

afterEach((context) => printLogsIfFailed(context, [controller]));

afterAll(async () => {
  await killAllControllers();
  await daemon?.stop();
  repository?.remove();
  await cluster?.down();
}, 120_000);

async function gitStatus(): Promise<GitStatus> {
  return ((await controller!.status()) as unknown as { git: GitStatus }).git;
}

async function greeting(): Promise<string | undefined> {
  const env = await cluster.docker('service', 'inspect', '--format', '{{json .Spec.TaskTemplate.ContainerSpec.Env}}', 'shop_api');
  return (JSON.parse(env) as string[]).find((entry) => entry.startsWith('GREETING='))?.slice('GREETING='.length);
}

async function deployed(value: string): Promise<void> {
  await eventually(
    async () => {
      expect(await greeting()).toBe(value);
      const status = await controller!.projectStatus('shop');
      expect(status.swarm?.services['api']).toMatchObject({ replicasDesired: 2, replicasRunning: 2 });
      expect(status.lastReconcile).toMatchObject({ result: 'success', operations: 0 });
    },
    { timeoutMs: 60_000, message: `shop_api deployed with GREETING=${value}` },
  );
}

describe('run --git with a project that targets Swarm', () => {
  it('must deploy each new commit to the cluster', async () => {
    await eventually(() => greeting(), { timeoutMs: 60_000, message: 'shop_api created' });
    await deployed('one');
    const second = repository.commit({ 'stacks/shop/compose.yaml': shop('two') });
    await deployed('two');
    expect((await controller!.projectStatus('shop')).commit).toBe(second);
  });

  it('must quarantine a commit whose Swarm deploy fails, and put the last good commit back in force', async () => {
    const good = (await gitStatus()).commit!;
    const bad = repository.commit({ 'stacks/shop/compose.yaml': shop('three', FAILING_MIGRATION) });
    await eventually(
      async () => {
        const git = await gitStatus();
        expect(git.quarantined.map((entry) => entry.commit)).toContain(bad);
        expect(git.commit).toBe(good);
      },
      { timeoutMs: 60_000, message: 'the commit whose migration failed quarantined' },
    );
    expect((await gitStatus()).quarantined.find((entry) => entry.commit === bad)?.reason).toMatch(/^rollout of migrate failed: .*failed/);
    // The good commit's spec runs: api never got the bad commit's environment.
    await deployed('two');
  });
});
