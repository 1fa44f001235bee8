import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { writeManifestTree } from '../support/manifest-files.js';
import { runCliCaptured } from '../support/run-cli.js';
import { SwarmCluster } from '../support/swarm/cluster.js';

// Updates, Swarm's own rollback, and removal on a real three-node Swarm: one intent per scenario, asserted
// on the cluster's state. The scenarios run in order on one project (rollout), one cluster for the file.

const IMAGE = 'composelet/busybox:1';
const PROJECT = 'rollout';
/** Healthy 2 s after it starts: a dependent released early would start before that. */
const SLOW_HEALTHY = (marker: string) => `["sh", "-c", "trap 'exit 0' TERM; echo ${marker}; sleep 2; touch /tmp/ready; sleep 86400 & wait"]`;
const LONG_RUNNING = `["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]`;

function manifest(options: { dbCommand: string; webVersion: string; worker: boolean }): string {
  return `name: ${PROJECT}
x-composelet: { target: swarm }
services:
  db:
    image: ${IMAGE}
    command: ${options.dbCommand}
    healthcheck: { test: ["CMD", "test", "-f", "/tmp/ready"], interval: 1s, retries: 30 }
    configs: [{ source: app_conf, target: /etc/app.conf }]
    deploy:
      replicas: 2
      endpoint_mode: dnsrr
      update_config: { parallelism: 1, failure_action: rollback, monitor: 4s, max_failure_ratio: 0 }
  web:
    image: ${IMAGE}
    command: ${LONG_RUNNING}
    environment: { VERSION: "${options.webVersion}" }
    depends_on: { db: { condition: service_healthy } }
    deploy: { endpoint_mode: dnsrr }
${options.worker ? `  worker:\n    image: ${IMAGE}\n    command: ${LONG_RUNNING}\n    deploy: { endpoint_mode: dnsrr }\n` : ''}configs:
  app_conf: { file: ./app.conf }
`;
}

let cluster: SwarmCluster;
let directory: string;

beforeAll(async () => {
  cluster = await SwarmCluster.up({ images: [IMAGE] });
  directory = writeManifestTree({ 'compose.yaml': manifest({ dbCommand: SLOW_HEALTHY('v1'), webVersion: '1', worker: true }), 'app.conf': 'one\n' }, { directoryName: PROJECT });
}, 120_000);

afterAll(async () => {
  await cluster?.down();
}, 120_000);

const apply = (...extra: string[]) => runCliCaptured(['apply', directory, ...extra], { env: { PATH: process.env.PATH, DOCKER_HOST: cluster.managerHost } });
const rewrite = (options: Parameters<typeof manifest>[0]) => writeFileSync(join(directory, 'compose.yaml'), manifest(options));

interface TaskInfo {
  id: string;
  args: string[];
  desiredState: string;
  state: string;
  createdAt: number;
  /** When it reached its state (running, for a running task). */
  since: number;
}

async function inspectService(name: string): Promise<{ Version: { Index: number }; Spec: any; UpdateStatus?: { State: string } }> {
  return JSON.parse(await cluster.docker('service', 'inspect', name))[0];
}

async function tasksOf(name: string): Promise<TaskInfo[]> {
  const ids = (await cluster.docker('service', 'ps', '--quiet', '--no-trunc', name)).split('\n').filter(Boolean);
  const raw = JSON.parse(await cluster.docker('inspect', ...ids)) as any[];
  return raw.map((task) => ({
    id: task.ID,
    args: task.Spec.ContainerSpec.Args,
    desiredState: task.DesiredState,
    state: task.Status.State,
    createdAt: Date.parse(task.CreatedAt),
    since: Date.parse(task.Status.Timestamp),
  }));
}

async function names(kind: 'service' | 'config'): Promise<string[]> {
  return (await cluster.docker(kind, 'ls', '--format', '{{.Name}}')).split('\n').filter(Boolean).sort();
}

describe('rollouts of a Swarm project', () => {
  it('must release a dependent only once every task of the updated service runs the new spec and is healthy', async () => {
    const first = await apply();
    expect(first.stderr).not.toMatch(/failed|skipped/);
    expect(first.code).toBe(0);

    rewrite({ dbCommand: SLOW_HEALTHY('v2'), webVersion: '2', worker: true });
    writeFileSync(join(directory, 'app.conf'), 'two\n');
    const result = await apply();
    expect(result.stderr).not.toMatch(/failed|skipped|rolled|paused/);
    expect(result.code).toBe(0);

    const db = (await tasksOf(`${PROJECT}_db`)).filter((task) => task.desiredState === 'running');
    expect(db.map((task) => [task.args.at(-1)!.includes('echo v2'), task.state])).toEqual([[true, 'running'], [true, 'running']]);
    const web = (await tasksOf(`${PROJECT}_web`)).filter((task) => task.desiredState === 'running');
    expect(web).toHaveLength(1);
    // The new web task was made after the last new db task was running (healthy: Swarm says running then).
    expect(web[0]!.createdAt).toBeGreaterThanOrEqual(Math.max(...db.map((task) => task.since)));
  });

  it('must remove the old version of a changed config after the update, composelet\'s own, and keep the new one', async () => {
    const configs = await names('config');
    expect(configs).toHaveLength(1);
    const spec = (await inspectService(`${PROJECT}_db`)).Spec;
    expect(spec.TaskTemplate.ContainerSpec.Configs.map((reference: { ConfigName: string }) => reference.ConfigName)).toEqual(configs);
  });

  it('must keep a service dropped from the manifests without --prune, remove it with --prune, and never touch an unowned one', async () => {
    await cluster.docker('service', 'create', '--detach', '--name', `${PROJECT}_worker2`, '--label', `com.docker.compose.project=${PROJECT}`, '--endpoint-mode', 'dnsrr', IMAGE, 'sleep', '86400');
    rewrite({ dbCommand: SLOW_HEALTHY('v2'), webVersion: '2', worker: false });

    const kept = await apply();
    expect(kept.stdout).toContain(`- service:${PROJECT}_worker: orphan (service no longer in the manifests): kept; apply with --prune to remove`);
    expect(kept.code).toBe(0);
    expect(await names('service')).toEqual([`${PROJECT}_db`, `${PROJECT}_web`, `${PROJECT}_worker`, `${PROJECT}_worker2`]);

    const pruned = await apply('--prune');
    expect(pruned.stdout).toContain(`remove-service service:${PROJECT}_worker (orphan: service no longer in the manifests)`);
    expect(pruned.code).toBe(0);
    expect(await names('service')).toEqual([`${PROJECT}_db`, `${PROJECT}_web`, `${PROJECT}_worker2`]);
  });

  it('must report an update Swarm rolled back (failure_action: rollback) as rolled back, leave the dependent alone, and exit 1', async () => {
    const before = await inspectService(`${PROJECT}_db`);
    const webBefore = await inspectService(`${PROJECT}_web`);
    rewrite({ dbCommand: `["sh", "-c", "echo v3; exit 1"]`, webVersion: '3', worker: false });

    const result = await apply();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`rolled-back wait:${PROJECT}_db: db: Swarm rolled the update back`));
    expect(result.stderr).toContain(`composelet apply: project ${PROJECT}: db: update rolled back by Swarm`);
    expect(result.stderr).toContain(`skipped service:${PROJECT}_web: wait:${PROJECT}_db rolled-back`);

    // Swarm put the previous spec back, and its tasks run it.
    const after = await inspectService(`${PROJECT}_db`);
    expect(after.UpdateStatus?.State).toBe('rollback_completed');
    expect(after.Spec.TaskTemplate.ContainerSpec.Args).toEqual(before.Spec.TaskTemplate.ContainerSpec.Args);
    // rollback_completed can come while Swarm still starts the last replica's task again: its tasks, eventually.
    await eventually(
      async () => {
        const running = (await tasksOf(`${PROJECT}_db`)).filter((task) => task.desiredState === 'running');
        expect(running.map((task) => [task.args.at(-1)!.includes('echo v2'), task.state])).toEqual([[true, 'running'], [true, 'running']]);
      },
      { timeoutMs: 30_000, message: 'both replicas running the previous spec' },
    );
    // The dependent was not updated against the rolled-back service.
    expect((await inspectService(`${PROJECT}_web`)).Version.Index).toBe(webBefore.Version.Index);
  });

  it('must not push the same failing spec again on the next apply without --retry-failed', async () => {
    const before = await inspectService(`${PROJECT}_db`);
    const result = await apply();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`composelet apply: project ${PROJECT}: db: this spec was rolled back by Swarm before`);
    expect(result.stderr).toContain('nothing was changed on Swarm');
    const after = await inspectService(`${PROJECT}_db`);
    expect(after.Version.Index).toBe(before.Version.Index);
    expect(after.UpdateStatus?.State).toBe('rollback_completed');
  });
});
