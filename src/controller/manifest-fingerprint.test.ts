import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectInDirectory } from '../desired-state/discover.js';
import { loadDesiredState } from '../desired-state/load.js';
import { writeManifestTree } from '../../test/support/manifest-files.js';
import { manifestFingerprint } from './manifest-fingerprint.js';

// The controller re-parses a project only when the bytes it is made of changed.

function setUp() {
  const root = writeManifestTree({
    'shop/compose.yaml': 'include: [../parts/db.yaml]\nservices:\n  api:\n    image: x\n    env_file: ../shared/api.env\n',
    'parts/db.yaml': 'services:\n  db: { image: x }\n',
    'parts/.env': 'TAG=1\n',
    'shop/.env': 'TAG=1\n',
    'shared/api.env': 'A=1\n',
  });
  const directory = join(root, 'shop');
  const source = projectInDirectory(directory)!;
  const loaded = loadDesiredState(directory, { environment: {} });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return { root, directory, source, project: loaded.state.projects[0]! };
}

describe('manifest fingerprint', () => {
  it('unchanged files must give the same fingerprint', () => {
    const { source, project } = setUp();
    expect(manifestFingerprint(source, project)).toBe(manifestFingerprint(source, project));
  });

  it.each([
    ['the compose file', 'shop/compose.yaml', 'services:\n  api:\n    image: y\n'],
    ['.env', 'shop/.env', 'TAG=2\n'],
    ['an env_file outside the project directory', 'shared/api.env', 'A=2\n'],
    ['a new override file', 'shop/compose.override.yaml', 'services: {}\n'],
    ['an included file outside the project directory', 'parts/db.yaml', 'services:\n  db: { image: y }\n'],
    ['the .env of an included file', 'parts/.env', 'TAG=2\n'],
  ])('a change of %s must change the fingerprint', (_name, file, content) => {
    const { root, source, project } = setUp();
    const before = manifestFingerprint(source, project);
    writeFileSync(join(root, file), content);
    expect(manifestFingerprint(source, project)).not.toBe(before);
  });
});
