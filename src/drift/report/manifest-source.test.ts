import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifestSource } from './manifest-source.js';

// The manifest source: path, and the git commit and dirty flag when the manifests are a checkout.

function git(directory: string, ...args: string[]): string {
  return execFileSync('git', ['-C', directory, '-c', 'user.email=test@example.com', '-c', 'user.name=test', ...args], { encoding: 'utf8' }).trim();
}

describe('manifest source', () => {
  it('a directory outside any checkout must have no git state', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'composelet-nogit-'));
    expect(await readManifestSource(directory)).toEqual({ path: directory, git: null });
  });

  it('a checkout must give its commit, and dirty once the manifests change', async () => {
    const repository = mkdtempSync(join(tmpdir(), 'composelet-git-'));
    const manifests = join(repository, 'stacks');
    mkdirSync(manifests);
    writeFileSync(join(manifests, 'compose.yaml'), 'services: {}\n');
    writeFileSync(join(repository, 'README'), 'x\n');
    git(repository, 'init', '-q');
    git(repository, 'add', '.');
    git(repository, 'commit', '-q', '-m', 'manifests');
    const commit = git(repository, 'rev-parse', 'HEAD');

    expect(await readManifestSource(join(manifests, 'compose.yaml'))).toEqual({ path: join(manifests, 'compose.yaml'), git: { commit, dirty: false } });
    // A change outside the manifests' directory does not make them dirty.
    writeFileSync(join(repository, 'README'), 'changed\n');
    expect((await readManifestSource(manifests)).git).toEqual({ commit, dirty: false });
    writeFileSync(join(manifests, 'compose.yaml'), 'services: { web: { image: busybox } }\n');
    expect((await readManifestSource(manifests)).git).toEqual({ commit, dirty: true });
  });

  it('a relative path must be resolved against the given working directory', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'composelet-relative-'));
    expect((await readManifestSource('stacks', { cwd: directory })).path).toBe(join(directory, 'stacks'));
  });
});
