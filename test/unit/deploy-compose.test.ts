import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../src/desired-state/load.js';

// deploy/compose.yaml runs the controller as a container (test/engine/containerized-controller.test.ts
// runs it on the engine): it must load, name the image scripts/build-image.sh builds, and say what an
// operator needs.

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const version = (JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as { version: string }).version;

function load(environment: Record<string, string>) {
  return loadDesiredState(join(REPOSITORY, 'deploy'), { environment, homeDir: REPOSITORY });
}

describe('deploy/compose.yaml', () => {
  it('must run composelet:<package version>, the controller on the manifests root mounted at the same path, with its state on a volume', () => {
    const result = load({ COMPOSELET_MANIFESTS: '/srv/manifests' });
    if (!result.ok) throw new Error(result.issues.map((issue) => issue.message).join('; '));
    const service = result.state.projects[0]?.services.composelet;
    expect(service?.image).toBe(`composelet:${version}`);
    expect(service?.command?.slice(0, 2)).toEqual(['run', '/srv/manifests']);
    const mounts = (service?.volumes ?? []).map((volume) => `${volume.source}:${volume.target}`);
    expect(mounts.sort()).toEqual(['/srv/manifests:/srv/manifests', '/var/run/docker.sock:/var/run/docker.sock', 'composelet-state:/var/lib/composelet']);
    expect(JSON.stringify(service?.healthcheck?.test)).toContain('/healthz');
    expect(service?.ports.map((port) => `${port.hostIp}:${String(port.hostPort)}:${port.containerPort}`)).toEqual(['127.0.0.1:9464:9464']);
  });

  it('without COMPOSELET_MANIFESTS must be an error that says to set it', () => {
    const result = load({});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((issue) => issue.message).join('\n')).toContain('set COMPOSELET_MANIFESTS to the manifests root');
  });
});
