import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { writeManifestTree } from '../support/manifest-files.js';
import { runCliCaptured, TEST_STATE_DIR } from '../support/run-cli.js';
import { readFileSync } from 'node:fs';

// A rolling update of several replicas, one batch at a time: a batch that fails halfway must roll back the
// batches before it too, so every replica runs the old spec again (the same containers, with their data).

const engine = testEngine();
const projects: string[] = [];
afterEach(async () => {
  for (const name of projects.splice(0)) await removeProjectObjects(engine, name);
});

async function live(container: string): Promise<{ id: string; running: boolean; specHash: string }> {
  const [inspect] = JSON.parse(await runDocker(['inspect', container]));
  return { id: inspect.Id, running: inspect.State.Running, specHash: inspect.Config.Labels['io.composelet.spec-hash'] };
}

const SERVE = `trap 'exit 0' TERM; sleep 86400 & wait`;

/** A project of `replicas` busybox replicas sharing one volume, rolled out with `updateConfig`. */
function replicatedStack(prefix: string, replicas: number, updateConfig: string) {
  const name = uniqueProjectName(prefix);
  projects.push(name);
  const manifest = (command: string) =>
    [
      `name: ${name}`,
      'services:',
      '  api:',
      '    image: composelet/busybox:1',
      '    init: true',
      `    command: ["sh", "-c", ${JSON.stringify(command)}]`,
      '    volumes: [data:/data]',
      '    deploy:',
      `      replicas: ${replicas}`,
      `      update_config: { ${updateConfig} }`,
      'volumes:',
      '  data: {}',
      '',
    ].join('\n');
  const directory = writeManifestTree({ 'compose.yaml': manifest(SERVE) });
  return {
    name,
    containers: Array.from({ length: replicas }, (_unused, index) => `${name}-api-${index + 1}`),
    write: (command: string) => writeFileSync(join(directory, 'compose.yaml'), manifest(command)),
    apply: () => runCliCaptured(['apply', directory, '--timeout', '30s']),
  };
}

/** The n-th new container started (counted in the shared volume) exits 1 when n is in `failing` ($$: not interpolated). */
const countedCommand = (failing: number[]) =>
  `n=$$(cat /data/count 2>/dev/null || echo 0); n=$$((n+1)); echo $$n > /data/count; case " ${failing.join(' ')} " in *" $$n "*) exit 1;; esac; ${SERVE}`;

describe('rolling replicas', () => {
  it('a second batch that fails (parallelism 1, 3 replicas) must roll back the first batch too, old containers serving with their data', async () => {
    const name = uniqueProjectName('batches');
    projects.push(name);
    const manifest = (command: string) =>
      [
        `name: ${name}`,
        'services:',
        '  api:',
        '    image: composelet/busybox:1',
        '    init: true',
        `    command: ${command}`,
        '    volumes: [data:/data]',
        '    deploy:',
        '      replicas: 3',
        '      update_config: { parallelism: 1, monitor: 1s, order: start-first }',
        'volumes:',
        '  data: {}',
        '',
      ].join('\n');
    const directory = writeManifestTree({ 'compose.yaml': manifest(`["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]`) });
    expect((await runCliCaptured(['apply', directory, '--timeout', '30s'])).code).toBe(0);
    const containers = [1, 2, 3].map((number) => `${name}-api-${number}`);
    await runDocker(['exec', containers[0]!, 'sh', '-c', 'echo sentinel > /data/file']);
    const before = await Promise.all(containers.map(live));

    // The first new container claims the shared volume and runs; every later one finds the claim and exits 1.
    writeFileSync(
      join(directory, 'compose.yaml'),
      manifest(`["sh", "-c", "if [ -e /data/claimed ]; then exit 1; fi; touch /data/claimed; trap 'exit 0' TERM; sleep 86400 & wait"]`),
    );
    const failed = await runCliCaptured(['apply', directory, '--timeout', '30s']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/rolled back api/);

    const after = await Promise.all(containers.map(live));
    expect(after).toEqual(before.map((container) => ({ ...container, running: true })));
    const names = (await runDocker(['ps', '-a', '--filter', `label=com.docker.compose.project=${name}`, '--format', '{{.Names}}'])).trim().split('\n').sort();
    expect(names).toEqual(containers);
    for (const container of containers) expect(await runDocker(['exec', container, 'cat', '/data/file'])).toBe('sentinel\n');
    // The first batch did run the new spec (it claimed the volume) before the second one failed.
    expect(await runDocker(['exec', containers[0]!, 'ls', '/data'])).toContain('claimed');
    expect(failed.stderr).toMatch(/replica 2/);
  });

  it('failure_action: pause must stop where it failed: the batch before stays on the new spec, the failed batch goes back, the rest is untouched, and it is not retried', async () => {
    const subject = replicatedStack('pause', 3, 'parallelism: 1, monitor: 1s, order: start-first, failure_action: pause');
    expect((await subject.apply()).code).toBe(0);
    const before = await Promise.all(subject.containers.map(live));
    const startedBefore = await runDocker(['inspect', '--format', '{{.State.StartedAt}}', subject.containers[2]!]);

    subject.write(countedCommand([2]));
    const paused = await subject.apply();
    expect(paused.code).toBe(1);
    expect(paused.stderr).toMatch(/rolled back api \(replica 2\): new container (exited with code 1|restarted)/);
    expect(paused.stderr).toMatch(/rollout of api \(replica 3\) paused: rollout stopped: 1 of 3 replicas failed/);

    const after = await Promise.all(subject.containers.map(live));
    // Replica 1 proved itself: it runs the new spec, its old container is gone.
    expect(after[0]!.id).not.toBe(before[0]!.id);
    expect(after[0]!.specHash).not.toBe(before[0]!.specHash);
    expect(after[0]!.running).toBe(true);
    // Replica 2 failed: its old container is back. Replica 3 was never touched.
    expect(after.slice(1)).toEqual(before.slice(1));
    expect(await runDocker(['inspect', '--format', '{{.State.StartedAt}}', subject.containers[2]!])).toBe(startedBefore);
    const names = (await runDocker(['ps', '-a', '--filter', `label=com.docker.compose.project=${subject.name}`, '--format', '{{.Names}}'])).trim().split('\n').sort();
    expect(names).toEqual(subject.containers);
    const memory = JSON.parse(readFileSync(join(TEST_STATE_DIR, 'rollouts', `${subject.name}.failed.json`), 'utf8'));
    expect(memory.api).toMatchObject({ state: 'paused', specHash: after[0]!.specHash });

    const again = await subject.apply();
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/failed before/);
    expect(await Promise.all(subject.containers.map(live))).toEqual(after);
  });

  it('max_failure_ratio: one failed replica of 4 within a ratio of 0.5 must not stop the rollout: that replica alone goes back, the others roll out', async () => {
    const subject = replicatedStack('ratio', 4, 'parallelism: 1, monitor: 1s, order: start-first, max_failure_ratio: 0.5');
    expect((await subject.apply()).code).toBe(0);
    const before = await Promise.all(subject.containers.map(live));

    subject.write(countedCommand([2]));
    const result = await subject.apply();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/rolled back api \(replica 2\): new container (exited with code 1|restarted)/);

    const after = await Promise.all(subject.containers.map(live));
    expect(after[1]).toEqual(before[1]);
    for (const index of [0, 2, 3]) {
      expect(after[index]!.id).not.toBe(before[index]!.id);
      expect(after[index]!.running).toBe(true);
      expect(after[index]!.specHash).toBe(after[0]!.specHash);
    }
    expect(await runDocker(['exec', subject.containers[3]!, 'cat', '/data/count'])).toBe('4\n');
  });

  it('max_failure_ratio exceeded (2 of 4 above 0.25) must roll every batch back', async () => {
    const subject = replicatedStack('ratio-exceeded', 4, 'parallelism: 1, monitor: 1s, order: start-first, max_failure_ratio: 0.25');
    expect((await subject.apply()).code).toBe(0);
    const before = await Promise.all(subject.containers.map(live));

    subject.write(countedCommand([2, 3]));
    const result = await subject.apply();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/rollout stopped: 2 of 4 replicas failed \(max_failure_ratio 0.25 tolerates 1\)/);
    expect(await Promise.all(subject.containers.map(live))).toEqual(before);
  });
});
