import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeEngine } from '../../../test/support/fake-engine.js';
import { readVolumeRecord } from '../../state/volume-record.js';
import { observeRemembering, planKnowingImageVolumes } from '../observe/anonymous-volume-inputs.js';
import { execute } from './execute.js';
import { COMPOSE_CONTAINER_NUMBER, COMPOSE_PROJECT, COMPOSE_SERVICE, OWNED_BY_COMPOSELET, SPEC_HASH } from '../labels.js';
import { projectFromYaml } from '../observe/observed-builders.test-support.js';
import { plan } from '../plan/planner.js';
import { planDown } from '../plan/ownership/plan-down.js';

// Anonymous volumes through observe, plan and execute on the fake engine: created by name before the
// container, the same ones mounted again after the container is removed out of band, the engine's own
// (implicit) volumes of an older container remembered in the state directory and mounted again.

// A recreate of a running container is a rollout; its monitor is set to nothing so the fake engine's
// replacement proves itself at once.
const PROJECT = projectFromYaml(`
name: anon
x-composelet:
  rollout: { monitor: 0s }
services:
  db:
    image: composelet/img:1
    volumes: [/data]
`);
const DATA = 'anon_db_1_anon_bd47413b5c03';
const IMAGE_DATA = 'anon_db_1_anon_e05e3340c1b8';

function engineWithImage(volumes: string[]): FakeEngine {
  const engine = new FakeEngine();
  engine.images.set('composelet/img:1', { Id: 'sha256:img', RepoTags: ['composelet/img:1'], Labels: {} });
  engine.imageVolumes.set('composelet/img:1', volumes);
  return engine;
}

async function converge(engine: FakeEngine, stateDir: string) {
  const volumeRecord = { stateDir, write: true };
  const { observed, recordedVolumes } = await observeRemembering(engine, PROJECT, { volumeRecord });
  const planned = await planKnowingImageVolumes(engine, observed, (imageVolumes) =>
    plan(PROJECT, observed, { prune: false, buildHashes: {}, imageVolumes, recordedVolumes }),
  );
  const report = await execute(planned.plan, engine, { observedContainers: observed.containers });
  expect(report.totals.failed).toBe(0);
  return planned.plan;
}

function mountsOf(engine: FakeEngine): string[] {
  const container = [...engine.containers.values()].find((candidate) => candidate.name === 'anon-db-1');
  return (container?.mounts ?? []).map((mount) => `${mount.Destination}=${mount.Name ?? ''}`).sort();
}

describe('execute: anonymous volumes', () => {
  it('a container removed out of band must come back with the same volumes, declared and from the image', async () => {
    const engine = engineWithImage(['/imgdata']);
    const stateDir = mkdtempSync(join(tmpdir(), 'composelet-anon-'));
    await converge(engine, stateDir);
    expect(mountsOf(engine)).toEqual([`/data=${DATA}`, `/imgdata=${IMAGE_DATA}`]);
    expect(engine.volumes.get(IMAGE_DATA)?.Labels).toMatchObject({ [COMPOSE_PROJECT]: 'anon', [OWNED_BY_COMPOSELET]: 'true' });

    engine.containers.clear();
    engine.calls.length = 0;
    await converge(engine, stateDir);
    expect(mountsOf(engine)).toEqual([`/data=${DATA}`, `/imgdata=${IMAGE_DATA}`]);
    expect(engine.describeCalls({ mutatingOnly: true })).toEqual(['createContainer anon-db-1', 'startContainer anon-db-1']);
    expect([...engine.volumes.keys()].sort()).toEqual([DATA, IMAGE_DATA]);
  });

  it('image VOLUMEs of an image not yet here must be named by the executor at create time', async () => {
    const engine = engineWithImage(['/imgdata']);
    const stateDir = mkdtempSync(join(tmpdir(), 'composelet-anon-'));
    const { observed } = await observeRemembering(engine, PROJECT, { volumeRecord: { stateDir, write: true } });
    const thePlan = plan(PROJECT, observed, { prune: false, buildHashes: {} });
    await execute(thePlan, engine, { observedContainers: observed.containers });
    expect(mountsOf(engine)).toEqual([`/data=${DATA}`, `/imgdata=${IMAGE_DATA}`]);
    expect(engine.volumes.get(IMAGE_DATA)?.Labels).toMatchObject({ 'io.composelet.anonymous-volume.target': '/imgdata' });
  });

  it('a container made before this change, removed out of band, must get its implicit volume back through the record', async () => {
    const engine = engineWithImage(['/imgdata']);
    const stateDir = mkdtempSync(join(tmpdir(), 'composelet-anon-'));
    const implicit = 'f'.repeat(64);
    engine.volumes.set(implicit, { Name: implicit, Driver: 'local', Labels: {} });
    engine.addContainer({
      name: 'anon-db-1',
      status: 'running',
      image: 'composelet/img:1',
      labels: {
        [COMPOSE_PROJECT]: 'anon',
        [COMPOSE_SERVICE]: 'db',
        [COMPOSE_CONTAINER_NUMBER]: '1',
        [OWNED_BY_COMPOSELET]: 'true',
        [SPEC_HASH]: PROJECT.services['db']!.specHash,
      },
      mounts: [{ Type: 'volume', Name: implicit, Source: `/var/lib/docker/volumes/${implicit}/_data`, Destination: '/imgdata', RW: true }],
    });
    await converge(engine, stateDir);
    expect(await readVolumeRecord(stateDir, 'anon')).toEqual([{ service: 'db', number: 1, target: '/imgdata', name: implicit }]);

    engine.containers.clear();
    await converge(engine, stateDir);
    expect(mountsOf(engine)).toEqual([`/data=${DATA}`, `/imgdata=${implicit}`]);

    const { observed, recordedVolumes } = await observeRemembering(engine, PROJECT, { volumeRecord: { stateDir, write: true } });
    const down = planDown(PROJECT, observed, { removeVolumes: true, recordedVolumes });
    await execute(down, engine, { observedContainers: observed.containers });
    expect([...engine.volumes.keys()]).toEqual([]);
  });
});
