import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { writeManifestTree } from '../support/manifest-files.js';
import { runCliCaptured } from '../support/run-cli.js';

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
});
