import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { BuildSpec } from '../desired-state/model.js';
import { buildContextHash, buildContextTar, isIgnored, listContextEntries, parseDockerignore } from './build-context.js';

const execFileAsync = promisify(execFile);
const directories: string[] = [];

afterEach(async () => {
  await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

async function contextWith(files: Record<string, string>): Promise<BuildSpec> {
  const context = await mkdtemp(join(tmpdir(), 'composelet-build-context-'));
  directories.push(context);
  for (const [relativePath, content] of Object.entries(files)) {
    await mkdir(dirname(join(context, relativePath)), { recursive: true });
    await writeFile(join(context, relativePath), content);
  }
  return { context, dockerfile: 'Dockerfile', args: { VERSION: '1' }, target: null };
}

const baseFiles = {
  Dockerfile: 'FROM composelet/busybox:1\nCOPY . /app\n',
  'app/main.sh': 'echo hello\n',
  'logs/debug.log': 'noise\n',
  '.dockerignore': '# build output\nlogs\n*.tmp\n',
};

describe('parseDockerignore and isIgnored', () => {
  it.each([
    ['logs', 'logs', true],
    ['logs', 'logs/a/b.txt', true],
    ['/logs/', 'logs/a.txt', true],
    ['*.tmp', 'scratch.tmp', true],
    ['*.tmp', 'nested/scratch.tmp', false],
    ['**/*.tmp', 'nested/deep/scratch.tmp', true],
    ['**/*.tmp', 'scratch.tmp', true],
    ['docs/?.md', 'docs/a.md', true],
    ['docs/?.md', 'docs/ab.md', false],
    ['logs\n!logs/keep.txt', 'logs/keep.txt', false],
    ['logs\n!logs/keep.txt', 'logs/other.txt', true],
    ['a.txt', 'a.txt.bak', false],
    ['# a.txt', 'a.txt', false],
  ])('pattern %j on %s must give ignored=%s', (patterns, relativePath, expected) => {
    expect(isIgnored(parseDockerignore(patterns), relativePath)).toBe(expected);
  });
});

describe('buildContextHash', () => {
  it('must be stable across runs', async () => {
    const build = await contextWith(baseFiles);
    expect(await buildContextHash(build)).toBe(await buildContextHash(build));
    expect(await buildContextHash(build)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('must change when a file changes', async () => {
    const build = await contextWith(baseFiles);
    const before = await buildContextHash(build);
    await writeFile(join(build.context, 'app/main.sh'), 'echo goodbye\n');
    expect(await buildContextHash(build)).not.toBe(before);
  });

  it('must change when a file is added', async () => {
    const build = await contextWith(baseFiles);
    const before = await buildContextHash(build);
    await writeFile(join(build.context, 'app/extra.sh'), '');
    expect(await buildContextHash(build)).not.toBe(before);
  });

  it('must change when a file becomes executable', async () => {
    const build = await contextWith(baseFiles);
    const before = await buildContextHash(build);
    await chmod(join(build.context, 'app/main.sh'), 0o755);
    expect(await buildContextHash(build)).not.toBe(before);
  });

  it('must change when the Dockerfile changes', async () => {
    const build = await contextWith(baseFiles);
    const before = await buildContextHash(build);
    await writeFile(join(build.context, 'Dockerfile'), 'FROM composelet/busybox:1\n');
    expect(await buildContextHash(build)).not.toBe(before);
  });

  it('must change when the Dockerfile path, args or target change', async () => {
    const build = await contextWith({ ...baseFiles, 'Dockerfile.dev': 'FROM composelet/busybox:1\n' });
    const before = await buildContextHash(build);
    expect(await buildContextHash({ ...build, dockerfile: 'Dockerfile.dev' })).not.toBe(before);
    expect(await buildContextHash({ ...build, args: { VERSION: '2' } })).not.toBe(before);
    expect(await buildContextHash({ ...build, target: 'release' })).not.toBe(before);
  });

  it('must not change when an ignored file changes or appears', async () => {
    const build = await contextWith(baseFiles);
    const before = await buildContextHash(build);
    await writeFile(join(build.context, 'logs/debug.log'), 'more noise\n');
    await writeFile(join(build.context, 'scratch.tmp'), 'x');
    expect(await buildContextHash(build)).toBe(before);
  });

  it('must not depend on the order args were written in', async () => {
    const build = await contextWith(baseFiles);
    const forward = await buildContextHash({ ...build, args: { A: '1', B: '2' } });
    expect(await buildContextHash({ ...build, args: { B: '2', A: '1' } })).toBe(forward);
  });
});

describe('listContextEntries', () => {
  it('must always send the Dockerfile and .dockerignore, even when ignored', async () => {
    const build = await contextWith({ ...baseFiles, '.dockerignore': '*\n' });
    const paths = (await listContextEntries(build)).map((entry) => entry.relativePath);
    expect(paths).toEqual(['.dockerignore', 'Dockerfile']);
  });
});

describe('buildContextTar', () => {
  it('must hold exactly the sent files, which tar extracts unchanged', async () => {
    const longName = `${'nested-directory-name/'.repeat(6)}file-with-a-long-name.txt`;
    const build = await contextWith({ ...baseFiles, [longName]: 'deep\n', 'empty.txt': '' });
    await chmod(join(build.context, 'app/main.sh'), 0o755);
    await symlink('app/main.sh', join(build.context, 'link.sh'));
    const archive = await buffer(buildContextTar(build));
    const extracted = await mkdtemp(join(tmpdir(), 'composelet-extracted-'));
    directories.push(extracted);
    await writeFile(join(extracted, '..context.tar'), archive);
    await execFileAsync('tar', ['-xf', join(extracted, '..context.tar'), '-C', extracted]);
    await rm(join(extracted, '..context.tar'));

    const { stdout } = await execFileAsync('find', ['.', '-mindepth', '1'], { cwd: extracted });
    const extractedPaths = stdout.split('\n').filter(Boolean).map((path) => path.slice(2)).sort();
    const sentPaths = (await listContextEntries(build)).map((entry) => entry.relativePath);
    expect(extractedPaths).toEqual(sentPaths);
    expect(extractedPaths).not.toContain('logs/debug.log');
    expect(await readFile(join(extracted, 'app/main.sh'), 'utf8')).toBe('echo hello\n');
    expect(await readFile(join(extracted, longName), 'utf8')).toBe('deep\n');
    expect(await readlink(join(extracted, 'link.sh'))).toBe('app/main.sh');
    const { stdout: mode } = await execFileAsync('stat', ['-c', '%a', join(extracted, 'app/main.sh')]);
    expect(mode.trim()).toBe('755');
  });

  it('must fail the stream when the context does not exist', async () => {
    const build: BuildSpec = { context: '/nonexistent/composelet-context', dockerfile: 'Dockerfile', args: {}, target: null };
    await expect(buffer(buildContextTar(build))).rejects.toThrow(/ENOENT/);
  });
});

describe('dockerfile_inline and build labels', () => {
  const inline = (build: BuildSpec, text: string): BuildSpec => ({ ...build, dockerfile: '.composelet.dockerfile-inline', dockerfileInline: text });

  it('an inline Dockerfile must be sent in the context under the dockerfile name', async () => {
    const build = inline(await contextWith({ 'app/main.sh': 'echo hello\n' }), 'FROM composelet/busybox:1\nCOPY app /app\n');
    const archive = await buffer(buildContextTar(build));
    const extracted = await mkdtemp(join(tmpdir(), 'composelet-extracted-'));
    directories.push(extracted);
    await writeFile(join(extracted, '..context.tar'), archive);
    await execFileAsync('tar', ['-xf', join(extracted, '..context.tar'), '-C', extracted]);
    expect(await readFile(join(extracted, '.composelet.dockerfile-inline'), 'utf8')).toBe('FROM composelet/busybox:1\nCOPY app /app\n');
    expect(await readFile(join(extracted, 'app/main.sh'), 'utf8')).toBe('echo hello\n');
  });

  it('the build hash must change with the inline Dockerfile and with the labels, and not without them', async () => {
    const build = await contextWith({ 'app/main.sh': 'echo hello\n' });
    const first = await buildContextHash(inline(build, 'FROM a\n'));
    expect(await buildContextHash(inline(build, 'FROM b\n'))).not.toBe(first);
    expect(await buildContextHash(inline(build, 'FROM a\n'))).toBe(first);
    const plain = await buildContextHash(build);
    expect(await buildContextHash({ ...build, labels: {} })).toBe(plain);
    expect(await buildContextHash({ ...build, labels: { team: 'core' } })).not.toBe(plain);
  });
});
