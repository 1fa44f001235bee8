import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeManifestTree } from '../../support/manifest-files.js';
import { runCliCaptured } from '../../support/run-cli.js';

const example = fileURLToPath(new URL('../../../manifests/example', import.meta.url));

describe('composelet validate', () => {
  it('the example manifests must validate and print services in dependency levels', async () => {
    const { code, stdout } = await runCliCaptured(['validate', example]);
    expect(code).toBe(0);
    expect(stdout).toContain('valid, 1 project, 6 services');
    expect(stdout).toContain('project platform');
    expect(stdout).toContain('level 0: cache, db');
    expect(stdout).toContain('level 1: migrate');
    expect(stdout).toContain('level 2: api');
    expect(stdout).toContain('level 3: metrics, ui');
    expect(stdout).toContain('inactive by profile: debug');
  });

  it('--profile must make a profiled service desired', async () => {
    const { stdout } = await runCliCaptured(['validate', example, '--profile', 'debug']);
    expect(stdout).toContain('7 services');
  });

  it('--json must print the summary as data', async () => {
    const { code, stdout } = await runCliCaptured(['validate', example, '--json']);
    expect(code).toBe(0);
    const body = JSON.parse(stdout);
    expect(body.ok).toBe(true);
    expect(body.projects[0].levels).toEqual([['cache', 'db'], ['migrate'], ['api'], ['metrics', 'ui']]);
  });

  it('an invalid manifest must print every problem with file:line:column and exit 1', async () => {
    const directory = writeManifestTree({ 'compose.yaml': 'services:\n  api:\n    imgae: x\n    mem_limit: lots\n' });
    const { code, stderr } = await runCliCaptured(['validate', directory]);
    expect(code).toBe(1);
    expect(stderr).toContain('2 problems');
    expect(stderr).toContain(`${directory}/compose.yaml:3:5: services.api.imgae: unknown key "imgae"; did you mean "image"?`);
    expect(stderr).toContain(`${directory}/compose.yaml:4:5: services.api.mem_limit: invalid byte size "lots"`);
  });

  it('an invalid manifest with --json must print the problems as data and exit 1', async () => {
    const directory = writeManifestTree({ 'compose.yaml': 'services:\n  api:\n    imgae: x\n' });
    const { code, stdout } = await runCliCaptured(['validate', directory, '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).issues[0]).toMatchObject({ line: 3, column: 5, path: 'services.api.imgae' });
  });

  it('a missing PATH must be a usage error', async () => {
    const { code, stderr } = await runCliCaptured(['validate']);
    expect(code).toBe(1);
    expect(stderr).toContain('missing PATH');
  });

  it('an unknown option must be a usage error', async () => {
    const { code, stderr } = await runCliCaptured(['validate', example, '--frobnicate']);
    expect(code).toBe(1);
    expect(stderr).toContain("Unknown option '--frobnicate'");
  });
});

describe('composelet config', () => {
  it('must print the normalized model with secret values redacted', async () => {
    const { code, stdout } = await runCliCaptured(['config', example, '--json']);
    expect(code).toBe(0);
    expect(stdout).not.toContain('example-only-password');
    const project = JSON.parse(stdout).projects[0];
    expect(project.services.db.environment.POSTGRES_PASSWORD).toMatch(/^<redacted:[0-9a-f]{8}>$/);
    // Interpolated from a .env variable: the whole value came (in part) from .env.
    expect(project.services.api.environment.DATABASE_URL).toMatch(/^<redacted:[0-9a-f]{8}>$/);
    expect(project.services.db.image).toBe('composelet/busybox:1');
    expect(project.services.db.specHash).toMatch(/^[0-9a-f]{64}$/);
    expect(project.services.db.limits.memoryBytes).toBe(256 * 1024 * 1024);
  });

  it('must refuse an invalid manifest and say nothing was changed', async () => {
    const directory = writeManifestTree({ 'compose.yaml': 'services:\n  api: {}\n' });
    const { code, stderr } = await runCliCaptured(['config', directory]);
    expect(code).toBe(1);
    expect(stderr).toContain('needs an `image:` or a `build:`');
    expect(stderr).toContain('nothing was changed');
  });
});

describe('help', () => {
  it.each(['validate', 'config'])('%s --help must describe the command', async (command) => {
    const { code, stdout } = await runCliCaptured([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: composelet ${command}`);
  });

  it('the top-level help must list the commands', async () => {
    const { code, stdout } = await runCliCaptured(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/validate\s+check manifests/);
  });
});
