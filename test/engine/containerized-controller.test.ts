import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectStatus } from '../../src/controller/project-status.js';
import { removeProjectObjects, runDocker, TERM_AWARE_COMMAND, TEST_IMAGE, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { runCliCaptured } from '../support/run-cli.js';

// composelet as a container (deploy/compose.yaml, the image from scripts/build-image.sh, which
// scripts/test.sh builds once per engine and refreshes when the package changes): it heals a killed
// container of the projects it manages, and it manages its own stack too without ever recreating or
// stopping itself. The controller's project is deploy/compose.yaml itself, placed in the manifests root.

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const version = (JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as { version: string }).version;
const engine = testEngine();
const appProject = uniqueProjectName('ctr-app');
const selfProject = uniqueProjectName('ctr-self');
const selfContainer = `${selfProject}-composelet-1`;
const webContainer = `${appProject}-web-1`;
let root = '';
let port = 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return free;
}

async function controllerStatus(): Promise<ProjectStatus[]> {
  const response = await fetch(`http://127.0.0.1:${port}/status`, { signal: AbortSignal.timeout(2_000) });
  return ((await response.json()) as { projects: ProjectStatus[] }).projects;
}

describe('the containerized controller', () => {
  beforeAll(async () => {
    await runDocker(['image', 'inspect', `composelet:${version}`]).catch((error: Error) => {
      throw new Error(`composelet:${version} is missing: run bash scripts/build-image.sh (scripts/test.sh does)`, { cause: error });
    });
    root = mkdtempSync(join(tmpdir(), 'composelet-containerized-'));
    mkdirSync(join(root, 'app'));
    writeFileSync(
      join(root, 'app/compose.yaml'),
      `name: ${appProject}\nservices:\n  web:\n    image: ${TEST_IMAGE}\n    command: ${JSON.stringify(TERM_AWARE_COMMAND)}\n    restart: unless-stopped\n`,
    );
    cpSync(join(REPOSITORY, 'deploy'), join(root, 'controller'), { recursive: true });
    const deployed = readFileSync(join(root, 'controller/compose.yaml'), 'utf8').replace(/^name: composelet$/m, `name: ${selfProject}`);
    writeFileSync(join(root, 'controller/compose.yaml'), deployed);
    port = await freePort();
    // apply waits for the controller's healthcheck (/healthz) to say healthy.
    const applied = await runCliCaptured(['apply', join(root, 'controller')], {
      env: { PATH: process.env.PATH, COMPOSELET_MANIFESTS: root, COMPOSELET_METRICS_PORT: String(port) },
    });
    expect(applied.stderr).not.toContain('failed');
    expect(applied.code).toBe(0);
  }, 180_000);

  afterAll(async () => {
    // The controller first, or it would bring the app back while it is removed.
    await removeProjectObjects(engine, selfProject);
    await removeProjectObjects(engine, appProject);
  });

  it('must be healthy by its /healthz healthcheck', async () => {
    expect((await engine.inspectContainer(selfContainer)).State.Health?.Status).toBe('healthy');
  });

  it('must converge the projects under the manifests root and heal a killed container', async () => {
    const first = await eventually(async () => {
      const state = await engine.inspectContainer(webContainer);
      expect(state.State.Running).toBe(true);
      return state;
    }, { timeoutMs: 60_000, message: 'the controller creates the app' });
    await runDocker(['kill', webContainer]);
    await eventually(async () => {
      const state = await engine.inspectContainer(webContainer);
      expect(state.State.Running).toBe(true);
      expect(state.State.StartedAt).not.toBe(first.State.StartedAt);
    }, { timeoutMs: 30_000, message: 'the killed container is healed' });
  });

  it('must recognise its own container in its own stack, say so in /status, and never recreate or stop it', async () => {
    const before = await engine.inspectContainer(selfContainer);
    const status = await eventually(async () => {
      const project = (await controllerStatus()).find((candidate) => candidate.projectName === selfProject);
      expect(project?.lastReconcile?.result).toBe('success');
      return project;
    }, { timeoutMs: 30_000, message: 'the controller reconciled its own project' });
    expect(status?.selfContainer).toEqual({ container: selfContainer, service: 'composelet', skipped: [] });
    const after = await engine.inspectContainer(selfContainer);
    expect(after.Id).toBe(before.Id);
    expect(after.State.StartedAt).toBe(before.State.StartedAt);
    expect(after.RestartCount).toBe(0);
    const logs = await promisify(execFile)('docker', ['logs', selfContainer]);
    expect(logs.stdout + logs.stderr).toContain(`this controller runs in ${selfContainer} of project ${selfProject}: it never recreates, stops or removes it`);
  });

  it('an edit of its own service must not make it recreate itself', async () => {
    const before = await engine.inspectContainer(selfContainer);
    const file = join(root, 'controller/compose.yaml');
    const editedAt = Date.now();
    writeFileSync(file, readFileSync(file, 'utf8').replace('      COMPOSELET_STATE_DIR:', '      EDITED_FOR_THE_TEST: "1"\n      COMPOSELET_STATE_DIR:'));
    await eventually(async () => {
      const project = (await controllerStatus()).find((candidate) => candidate.projectName === selfProject);
      expect(project?.lastReconcile?.at ?? 0).toBeGreaterThan(editedAt);
    }, { timeoutMs: 30_000, message: 'the controller reconciled its edited project' });
    const after = await engine.inspectContainer(selfContainer);
    expect(after.Id).toBe(before.Id);
    expect(after.State.StartedAt).toBe(before.State.StartedAt);
    expect(after.Config.Env).not.toContain('EDITED_FOR_THE_TEST=1');
  });
});
