import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../../src/desired-state/load.js';
import { writeManifestTree, yaml } from '../../support/manifest-files.js';

// Replicas and host ports: a fixed host port can be held by one replica only; a host port range gives the
// engine a port per replica, as Compose v2 does (docker/compose's TestPortRange scales to 5 on "6005-6015:80").

function load(ports: string, scale: number, target: 'engine' | 'swarm' = 'engine') {
  const directory = writeManifestTree({
    'compose.yaml': yaml`
      name: demo
      x-composelet: { target: ${target} }
      services:
        api:
          image: busybox
          scale: ${scale}
          ports: ["${ports}"]
    `,
  });
  return loadDesiredState(directory, { environment: {}, homeDir: directory });
}

describe('replicas and host ports', () => {
  it('replicas must be able to share a host port range', () => {
    expect(load('6005-6015:80', 5).ok).toBe(true);
  });

  it.each([
    ['8080:80', 2, '2 replicas cannot share a fixed host port; leave the host port out or give a range'],
    ['6005-6006:80', 3, '3 replicas need 3 ports, but the host port range 6005-6006 holds 2'],
  ])('%s with %i replicas must be rejected', (ports, scale, message) => {
    const result = load(ports, scale);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((issue) => `${issue.line}: ${issue.path}: ${issue.message}`)).toEqual([`7: services.api.ports: ${message}`]);
  });

  it('a Swarm project must be able to run replicas behind one published port (the routing mesh shares it)', () => {
    const result = load('8080:80', 3, 'swarm');
    expect(result.ok ? result.state.projects[0]!.services['api']!.replicas : result.issues).toBe(3);
  });
});
