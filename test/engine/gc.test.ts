import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackFixture } from '../support/converge-fixture.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';

// `composelet gc` on the real engine: an image composelet built for the project that nothing uses goes;
// the image of a stopped composelet container (a rollback target) stays, and so does an image composelet
// did not build. Images are built here from the local busybox image (no registry).

const engine = testEngine();
const projectName = uniqueProjectName('gc');
const stack = stackFixture('gc', projectName);
const unused = `${projectName}-api:old`;
const rollback = `${projectName}-api:previous`;
const foreign = `${projectName}-api:foreign`;

async function build(tag: string, labels: string[]): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), 'composelet-gc-image-'));
  writeFileSync(join(context, 'Dockerfile'), `FROM composelet/busybox:1\nRUN echo ${tag} > /tag\n`);
  await runDocker(['build', '-q', '-t', tag, ...labels.flatMap((label) => ['--label', label]), context]);
}
const imageExists = async (tag: string) => (await engine.listImages({ name: [tag] })).length > 0;

describe('composelet gc', () => {
  beforeAll(async () => {
    await build(unused, ['io.composelet.build-hash=old']);
    await build(rollback, ['io.composelet.build-hash=previous']);
    await build(foreign, []);
    // the previous spec's container, stopped and renamed as a rollout leaves it
    await runDocker(['create', '--name', `${projectName}-api-1-previous`, '--label', 'io.composelet.managed=true', '--label', `com.docker.compose.project=${projectName}`, '--label', 'com.docker.compose.service=api', rollback, 'true']);
  });
  afterAll(async () => {
    await removeProjectObjects(engine, projectName);
    for (const tag of [unused, rollback, foreign]) await runDocker(['rmi', '-f', tag]).catch(() => undefined);
  });

  it('must remove an unused image and keep the image of a rollback target', async () => {
    const dryRun = await stack.run('gc', '--dry-run');
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain(`remove image ${unused}: built by composelet, used by no container`);
    expect(dryRun.stdout).toContain(`keep image ${rollback}: a container uses it`);
    expect(dryRun.stdout).not.toContain(foreign);
    expect(await imageExists(unused), 'a dry run removes nothing').toBe(true);

    const removed = await stack.run('gc', '--yes');
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`removed image ${unused}`);
    expect(await imageExists(unused)).toBe(false);
    expect(await imageExists(rollback)).toBe(true);
    expect(await imageExists(foreign), 'an image composelet did not build is never touched').toBe(true);
  });

  it('must prune the build cache through the engine API (keep-storage, API 1.41) when x-composelet.gc.build_cache.keep is set, and audit it', async () => {
    stack.edit((text) => `x-composelet:\n  gc: { build_cache: { keep: 1GB } }\n${text}`);
    const dryRun = await stack.run('gc', '--dry-run');
    expect(dryRun.stdout).toContain('prune build cache down to 1.0 GiB: x-composelet.gc.build_cache.keep');
    const pruned = await stack.run('gc', '--yes');
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toMatch(/pruned build cache: \d+(\.\d)? \w*B reclaimed/);
    const audit = readFileSync(stack.auditLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(audit.find((entry) => entry.action === 'prune-build-cache')).toMatchObject({ actor: 'gc', project: projectName, resource: 'build-cache', result: 'succeeded' });
  });
});
