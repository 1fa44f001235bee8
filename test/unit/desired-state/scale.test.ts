import { describe, expect, it } from 'vitest';
import { generateStack } from '../../../bench/generate-stack.js';
import { loadDesiredState } from '../../../src/desired-state/load.js';
import { writeManifestTree } from '../../support/manifest-files.js';

// A 200-service platform must load completely; how fast is measured by `npm run bench:validate`, not here.

describe('a 200-service manifest', () => {
  it('must load into 200 services in 20 dependency levels', () => {
    const directory = writeManifestTree({ 'compose.yaml': generateStack({ services: 200, projectName: 'big' }) });
    const result = loadDesiredState(directory, { environment: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.issues.slice(0, 5)));
    const project = result.state.projects[0]!;
    expect(Object.keys(project.services)).toHaveLength(200);
    expect(project.graph.levels).toHaveLength(20);
    expect(project.graph.levels.flat().sort()).toEqual(Object.keys(project.services).sort());
  });
});
