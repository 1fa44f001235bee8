import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../../src/desired-state/load.js';
import { writeManifestTree, yaml } from '../../support/manifest-files.js';

// A file of several YAML documents is read as compose-go reads it: the documents merged in order, as if
// they were consecutive --file files.

describe('multi-document YAML', () => {
  it('the documents of one file must be merged in order', () => {
    const directory = writeManifestTree({
      'compose.yaml': yaml`
        services:
          api: { image: app:1, environment: { A: "1" } }
        ---
        services:
          api: { image: app:2, environment: { B: "2" } }
          worker: { image: worker }
      `,
    });
    const result = loadDesiredState(directory, { environment: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
    const project = result.state.projects[0]!;
    expect(project.services.api).toMatchObject({ image: 'app:2', environment: { A: '1', B: '2' } });
    expect(Object.keys(project.services).sort()).toEqual(['api', 'worker']);
  });

  it('an error in a later document must be reported at its line in the file', () => {
    const directory = writeManifestTree({
      'compose.yaml': 'services:\n  api: { image: app }\n---\nservices:\n  api:\n    restart: sometimes\n',
    });
    const result = loadDesiredState(directory, { environment: {} });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues).toContainEqual(expect.objectContaining({ file: join(directory, 'compose.yaml'), line: 6, path: 'services.api.restart' }));
    }
  });
});
