import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContainerSpec } from '../../src/actuators/container-spec.js';
import { loadDesiredState } from '../../src/desired-state/load.js';
import type { Project } from '../../src/desired-state/model.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { writeManifestTree, yaml } from '../support/manifest-files.js';
import { runCliCaptured } from '../support/run-cli.js';

// Anonymous volumes survive any removal of their container (issue 14): a sentinel written into a
// `- /data` volume and into an image VOLUME is back after `docker rm -f` and `composelet apply`, also for
// a container created the old way (the engine's own volumes, found again through composelet's record);
// `down` keeps them, `down --volumes` removes them.

const engine = testEngine();
const projectName = uniqueProjectName('anon-vol');
const image = `${projectName}-img:1`;
const stateDir = mkdtempSync(join(tmpdir(), 'composelet-anon-state-'));
const implicitVolumes = new Set<string>();
let directory = '';
let project: Project;

const cli = (argv: string[]) =>
  runCliCaptured(argv, { env: { PATH: process.env.PATH, DOCKER_HOST: process.env.DOCKER_HOST, COMPOSELET_STATE_DIR: stateDir } });

async function apply(): Promise<void> {
  const result = await cli(['apply', directory, '--timeout', '60s']);
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
}

const exec = (container: string, script: string) => runDocker(['exec', container, 'sh', '-c', script]);

async function writeSentinels(container: string): Promise<void> {
  await exec(container, `echo ${container}-data > /data/sentinel && echo ${container}-imgdata > /imgdata/sentinel`);
}

async function expectSentinels(container: string): Promise<void> {
  expect(await exec(container, 'cat /data/sentinel /imgdata/sentinel')).toBe(`${container}-data\n${container}-imgdata\n`);
}

async function volumeNamesOf(container: string): Promise<string[]> {
  const inspect = await engine.inspectContainer(container);
  return inspect.Mounts.filter((mount) => mount.Type === 'volume').map((mount) => mount.Name!).sort();
}

async function existingVolumes(names: readonly string[]): Promise<string[]> {
  const all = new Set((await engine.listVolumes({})).map((volume) => volume.Name));
  return names.filter((name) => all.has(name));
}

describe('anonymous volumes on the real engine', () => {
  beforeAll(async () => {
    const context = mkdtempSync(join(tmpdir(), 'composelet-anon-image-'));
    writeFileSync(join(context, 'Dockerfile'), 'FROM composelet/busybox:1\nVOLUME /imgdata\n');
    await runDocker(['build', '-q', '-t', image, context]);
    directory = writeManifestTree({
      'compose.yaml': yaml`
        name: ${projectName}
        services:
          fresh:
            image: ${image}
            init: true
            command: ["sleep", "86400"]
            volumes: [/data]
          old:
            image: ${image}
            init: true
            command: ["sleep", "86400"]
            network_mode: none
            volumes: [/data]
      `,
    });
    const loaded = loadDesiredState(directory, { environment: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    project = loaded.state.projects[0]!;
    // A container created the way composelet did before it named anonymous volumes: the engine makes them.
    const old = project.services['old']!;
    await engine.createContainer(`${projectName}-old-1`, { ...buildContainerSpec(project, old, { number: 1, image }) });
    await engine.startContainer(`${projectName}-old-1`);
    for (const name of await volumeNamesOf(`${projectName}-old-1`)) implicitVolumes.add(name);
  }, 120_000);

  afterAll(async () => {
    await removeProjectObjects(engine, projectName);
    for (const name of implicitVolumes) await engine.removeVolume(name).catch(() => undefined);
    await runDocker(['rmi', image]).catch(() => undefined);
  });

  it('a container made before the change must not be recreated by the upgrade', async () => {
    const before = (await engine.inspectContainer(`${projectName}-old-1`)).Id;
    await apply();
    expect((await engine.inspectContainer(`${projectName}-old-1`)).Id).toBe(before);
    expect(implicitVolumes.size).toBe(2);
  }, 120_000);

  it.each(['fresh', 'old'])('the sentinels of %s must be back after docker rm -f and apply', async (service) => {
    const container = `${projectName}-${service}-1`;
    const volumes = await volumeNamesOf(container);
    await writeSentinels(container);
    await runDocker(['rm', '-f', container]);
    await apply();
    await expectSentinels(container);
    expect(await volumeNamesOf(container)).toEqual(volumes);
  }, 120_000);

  it('composelet must name the volumes of the containers it makes after their replica and target', async () => {
    expect(await volumeNamesOf(`${projectName}-fresh-1`)).toEqual([
      `${projectName}_fresh_1_anon_bd47413b5c03`,
      `${projectName}_fresh_1_anon_e05e3340c1b8`,
    ]);
  });

  it('down must keep every anonymous volume, down --volumes must remove them all', async () => {
    const all = [...(await volumeNamesOf(`${projectName}-fresh-1`)), ...implicitVolumes];
    const down = await cli(['down', directory]);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(await existingVolumes(all)).toEqual(all);
    await apply();
    await expectSentinels(`${projectName}-fresh-1`);
    await expectSentinels(`${projectName}-old-1`);
    const downVolumes = await cli(['down', directory, '--volumes']);
    expect(downVolumes.code, downVolumes.stdout + downVolumes.stderr).toBe(0);
    expect(await existingVolumes(all)).toEqual([]);
  }, 120_000);
});
