import { describe, expect, it } from 'vitest';
import type { Project } from '../desired-state/model.js';
import { loadDesiredState } from '../desired-state/load.js';
import { writeManifestTree, yaml } from '../../test/support/manifest-files.js';
import { buildNetworkSpec, type NetworkCreateSpec } from './network-spec.js';

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
      networks: [back, front]
  networks:
    back:
      driver: bridge
      driver_opts:
        com.docker.network.bridge.enable_icc: "true"
      internal: true
      attachable: true
      labels:
        team: web
      ipam:
        driver: default
        config:
          - subnet: 172.30.0.0/16
            ip_range: 172.30.5.0/24
            gateway: 172.30.0.1
    front:
      name: shared-front
`;

function specOf(key: string): NetworkCreateSpec {
  const project = loadProject(manifest);
  return buildNetworkSpec(project.name, project.networks[key]!);
}

describe('buildNetworkSpec', () => {
  it.each<[name: string, key: string, pick: (spec: NetworkCreateSpec) => unknown, expected: unknown]>([
    ['the name must be the project-prefixed engine name', 'back', (spec) => spec.Name, 'demo_back'],
    ['a name: must be used as written', 'front', (spec) => spec.Name, 'shared-front'],
    ['the driver must be set when written', 'back', (spec) => spec.Driver, 'bridge'],
    ['the driver must be omitted when not written', 'front', (spec) => 'Driver' in spec, false],
    ['driver options must be passed', 'back', (spec) => spec.Options, { 'com.docker.network.bridge.enable_icc': 'true' }],
    ['internal and attachable must be set', 'back', (spec) => [spec.Internal, spec.Attachable, spec.EnableIPv6], [true, true, false]],
    [
      'ipam must use the engine field names',
      'back',
      (spec) => spec.IPAM,
      { Driver: 'default', Config: [{ Subnet: '172.30.0.0/16', IPRange: '172.30.5.0/24', Gateway: '172.30.0.1' }] },
    ],
    ['ipam must be omitted when not written', 'front', (spec) => 'IPAM' in spec, false],
    [
      'labels must be user labels plus compose and ownership labels',
      'back',
      (spec) => spec.Labels,
      {
        team: 'web',
        'com.docker.compose.project': 'demo',
        'com.docker.compose.network': 'back',
        'com.docker.compose.version': '2.0.0-composelet',
        'io.composelet.managed': 'true',
      },
    ],
  ])('%s', (_name, key, pick, expected) => {
    expect(pick(specOf(key))).toEqual(expected);
  });
});
