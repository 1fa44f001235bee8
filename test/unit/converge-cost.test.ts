import { describe, expect, it } from 'vitest';
import { generateStack } from '../../bench/generate-stack.js';
import { loadDesiredState } from '../../src/desired-state/load.js';
import type { Project } from '../../src/desired-state/model.js';
import { countingEngine } from '../../src/engine/counting-engine.js';
import { planProject, runPlan } from '../../src/reconciler/converge.js';
import { FakeEngine } from '../support/fake-engine.js';
import { writeManifestTree } from '../support/manifest-files.js';

// The cost of a no-op: one list call per kind (containers, networks, volumes, images) and no per-container
// inspect, whatever the number of services. At 500 services against the in-memory engine (the real engine
// is measured at 60 services in test/engine/converge-cost.test.ts and by the benchmarks).

function generated(services: number): Project {
  const directory = writeManifestTree({ 'compose.yaml': generateStack({ services, projectName: `cost${services}`, healthchecks: false }) });
  const result = loadDesiredState(directory, { environment: {} });
  if (!result.ok) throw new Error(JSON.stringify(result.issues.slice(0, 3)));
  return result.state.projects[0]!;
}

describe('no-op cost', () => {
  it('a no-op plan of 500 services must make one list call per kind and no inspect', async () => {
    const project = generated(500);
    const fake = new FakeEngine();
    fake.images.set('composelet/busybox:1', { Id: 'sha256:busybox', RepoTags: ['composelet/busybox:1'], Labels: {} });
    const first = await planProject(fake, project, { prune: false });
    const report = await runPlan(fake, first, { concurrency: 8, waitTimeoutMs: 1000 });
    expect(report.results.filter((result) => result.status !== 'succeeded')).toEqual([]);

    const counted = countingEngine(fake);
    const second = await planProject(counted.engine, project, { prune: false });
    expect(second.plan.operations).toEqual([]);
    expect(counted.counts()).toEqual({ listContainers: 1, listNetworks: 1, listVolumes: 1, listImages: 1 });
  }, 60_000);
});
