import { describe, expect, it } from 'vitest';
import type { Project } from '../desired-state/model.js';
import { loadDesiredState } from '../desired-state/load.js';
import { writeManifestTree, yaml } from '../../test/support/manifest-files.js';
import { buildVolumeSpec, type VolumeCreateSpec } from './volume-spec.js';

function loadProject(manifest: string): Project {
  const directory = writeManifestTree({ 'compose.yaml': manifest }, { directoryName: 'demo' });
  const result = loadDesiredState(directory, { environment: {} });
  if (!result.ok) throw new Error(`fixture rejected: ${JSON.stringify(result.issues)}`);
  return result.state.projects[0]!;
}

const manifest = yaml`
  services:
    app:
      image: busybox
      volumes: ["data:/data", "cache:/cache"]
  volumes:
    data:
      driver: local
      driver_opts:
        type: tmpfs
        device: tmpfs
      labels:
        backup: nightly
    cache:
      name: shared-cache
`;

function specOf(key: string): VolumeCreateSpec {
  const project = loadProject(manifest);
  return buildVolumeSpec(project.name, project.volumes[key]!);
}

describe('buildVolumeSpec', () => {
  it.each<[name: string, key: string, expected: VolumeCreateSpec]>([
    [
      'a volume with driver, options and labels',
      'data',
      {
        Name: 'demo_data',
        Driver: 'local',
        DriverOpts: { device: 'tmpfs', type: 'tmpfs' },
        Labels: {
          backup: 'nightly',
          'com.docker.compose.project': 'demo',
          'com.docker.compose.volume': 'data',
          'com.docker.compose.version': '2.0.0-composelet',
          'io.composelet.managed': 'true',
        },
      },
    ],
    [
      'a volume with a name: and nothing else',
      'cache',
      {
        Name: 'shared-cache',
        DriverOpts: {},
        Labels: {
          'com.docker.compose.project': 'demo',
          'com.docker.compose.volume': 'cache',
          'com.docker.compose.version': '2.0.0-composelet',
          'io.composelet.managed': 'true',
        },
      },
    ],
  ])('%s must get the create body Compose sends', (_name, key, expected) => {
    expect(specOf(key)).toEqual(expected);
  });
});
