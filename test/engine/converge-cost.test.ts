import { afterAll, describe, expect, it } from 'vitest';
import { generateStack } from '../../bench/generate-stack.js';
import { loadDesiredState } from '../../src/desired-state/load.js';
import { countingEngine } from '../../src/engine/counting-engine.js';
import { planProject, runPlan } from '../../src/reconciler/converge.js';
import { removeProjectObjects, testEngine, uniqueProjectName } from '../support/engine.js';
import { writeManifestTree } from '../support/manifest-files.js';

// On the real engine: once 60 services are converged, a plan reads the engine with one list call per
// kind and inspects nothing.

const engine = testEngine();
const projectName = uniqueProjectName('cost60');
afterAll(() => removeProjectObjects(engine, projectName), 180_000);

describe('no-op cost on the real engine', () => {
  it('a no-op plan of 60 converged services must make one list call per kind and no inspect', async () => {
    const directory = writeManifestTree({ 'compose.yaml': generateStack({ services: 60, projectName, healthcheckTimeout: '10s' }) });
    const loaded = loadDesiredState(directory, { environment: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues.slice(0, 3)));
    const project = loaded.state.projects[0]!;

    const first = await planProject(engine, project, { prune: false });
    const report = await runPlan(engine, first, { concurrency: 6, waitTimeoutMs: 120_000 });
    expect(report.results.filter((result) => result.status !== 'succeeded')).toEqual([]);

    const counted = countingEngine(engine);
    const second = await planProject(counted.engine, project, { prune: false });
    expect(second.plan.operations).toEqual([]);
    expect(counted.counts()).toEqual({ listContainers: 1, listNetworks: 1, listVolumes: 1, listImages: 1 });
    expect(counted.mutatingCalls()).toBe(0);
  }, 300_000);
});
