import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../../../scripts/build.mjs';

// `npm pack` then `npm install -g` of the tarball, as an operator installs composelet, into a temporary
// prefix: offline (no registry is reachable from CI), so the package must need nothing but itself. The
// package is staged in a temporary directory with a fresh build, so the repository's dist/ (which other
// tests run) is never rebuilt under them.

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as { version: string; files: string[]; bin: Record<string, string> };
const exec = promisify(execFile);

let prefix = '';
/** A PATH with the prefix's bin/ and node, nothing of the repository. */
let environment: NodeJS.ProcessEnv = {};

async function composelet(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return exec('composelet', args, { cwd: prefix, env: environment });
}

describe('the packed package, installed with npm install -g', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    const work = mkdtempSync(join(tmpdir(), 'composelet-install-'));
    const stage = join(work, 'package');
    for (const entry of ['package.json', 'README.md', ...manifest.files.filter((file) => file !== 'dist')]) cpSync(join(REPOSITORY, entry), join(stage, entry), { recursive: true });
    await buildDist({ outdir: join(stage, 'dist') });
    // --ignore-scripts: prepack would build again, from the stage, where there are no sources.
    const npmOptions = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
    await exec('npm', ['pack', ...npmOptions, '--pack-destination', work], { cwd: stage });
    prefix = join(work, 'prefix');
    await exec('npm', ['install', '-g', '--offline', '--prefix', prefix, ...npmOptions, join(work, `composelet-${manifest.version}.tgz`)], { cwd: work });
    environment = { PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: work };
  }, 180_000);

  it('must declare no runtime dependency: the bundle carries them, and an offline install fetches nothing', () => {
    expect(Object.keys((manifest as { dependencies?: object }).dependencies ?? {})).toEqual([]);
  });

  it('must put composelet on PATH, a script with a node shebang', () => {
    expect(readdirSync(join(prefix, 'bin'))).toEqual(['composelet']);
    expect(readFileSync(join(prefix, 'bin/composelet'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(manifest.bin.composelet).toBe('dist/cli/main.js');
  });

  it('composelet --version must print the package version', async () => {
    expect((await composelet(['--version'])).stdout.trim()).toBe(manifest.version);
  });

  it('composelet validate must validate the example, loading its dependencies from the bundle only', async () => {
    const { stdout } = await composelet(['validate', join(REPOSITORY, 'manifests/example')]);
    expect(stdout).toContain('valid, 1 project, 6 services');
  });

  it('composelet completion bash must print the completion script', async () => {
    expect((await composelet(['completion', 'bash'])).stdout).toContain('complete -o default -F _composelet composelet');
  });

  it('must ship the editor schemas and the deployment files beside the build', () => {
    const installed = join(prefix, 'lib/node_modules/composelet');
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'deploy', 'dist', 'package.json', 'schemas']);
  });
});
