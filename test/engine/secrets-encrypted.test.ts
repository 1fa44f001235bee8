import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeProjectObjects, testEngine, uniqueProjectName } from '../support/engine.js';
import { runCliCaptured, TEST_STATE_DIR } from '../support/run-cli.js';

// Secrets without plaintext in git: a project's password lives in .env.age (encrypted here, at test time,
// with Debian's age) and another in --secrets-dir; the container runs with both, while no command's output
// holds either and no plaintext file is written anywhere composelet writes.

const AGE_SENTINEL = 'sentinel-age-6613';
const DIR_SENTINEL = 'sentinel-dir-2290';
const KEY_FIXTURE = new URL('../../src/desired-state/secrets/testdata/test-only.agekey', import.meta.url);
const engine = testEngine();
const projectName = uniqueProjectName('secrets-age');
afterAll(() => removeProjectObjects(engine, projectName));

function filesWrittenSince(directory: string, since: number, depth = 4): string[] {
  if (depth < 0) return [];
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return filesWrittenSince(path, since, depth - 1);
    try {
      const stats = statSync(path);
      return entry.isFile() && stats.mtimeMs >= since && stats.size < 1_000_000 ? [path] : [];
    } catch {
      return [];
    }
  });
}

describe('encrypted secrets', () => {
  it('a password from an age file must reach the container, and never plan, config, drift, logs or disk', async () => {
    const started = Date.now() - 1000;
    const root = mkdtempSync(join(tmpdir(), 'composelet-secrets-age-'));
    const project = join(root, 'shop');
    const secretsDir = join(root, 'secrets');
    mkdirSync(project);
    mkdirSync(secretsDir);
    const keyFile = join(root, 'age.key');
    copyFileSync(KEY_FIXTURE, keyFile);
    chmodSync(keyFile, 0o600);
    const recipient = execFileSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).trim();
    execFileSync('age', ['--encrypt', '-r', recipient, '-o', join(project, '.env.age')], { input: `SHOP_PASSCODE=${AGE_SENTINEL}\n` });
    writeFileSync(join(secretsDir, `${projectName}.env`), `UPSTREAM_SETTING=${DIR_SENTINEL}\n`, { mode: 0o600 });
    writeFileSync(
      join(project, 'compose.yaml'),
      [
        'services:',
        '  app:',
        '    image: composelet/busybox:1',
        '    init: true',
        '    command: ["sleep", "86400"]',
        '    environment:',
        '      GREETING_VALUE: ${SHOP_PASSCODE}',
        '      UPSTREAM: https://api.example/${UPSTREAM_SETTING}',
        '',
      ].join('\n'),
    );
    const auditLog = join(root, 'audit.log');
    const outputs: Array<[string, string]> = [];
    const run = async (...args: string[]) => {
      const result = await runCliCaptured([...args, project, '--project-name', projectName, '--age-key-file', keyFile, '--secrets-dir', secretsDir], {
        env: { PATH: process.env.PATH, DOCKER_HOST: process.env.DOCKER_HOST, COMPOSELET_AUDIT_LOG: auditLog },
      });
      outputs.push([args.join(' '), `${result.stdout}\n${result.stderr}`]);
      return result;
    };

    expect((await run('validate')).code).toBe(0);
    await run('config');
    await run('config', '--json');
    await run('plan');
    await run('plan', '--json');
    const applied = await run('apply');
    expect(applied.code, applied.stderr).toBe(0);
    await run('drift', '--format', 'json');
    await run('drift', '--format', 'markdown');
    outputs.push(['audit log', readFileSync(auditLog, 'utf8')]);

    const inspect = await engine.inspectContainer(`${projectName}-app-1`);
    expect(inspect.Config.Env).toEqual(expect.arrayContaining([`GREETING_VALUE=${AGE_SENTINEL}`, `UPSTREAM=https://api.example/${DIR_SENTINEL}`]));
    for (const [where, output] of outputs) {
      expect(output, where).not.toContain(AGE_SENTINEL);
      expect(output, where).not.toContain(DIR_SENTINEL);
    }
    // Nothing composelet wrote holds the plaintext: not the state dir, not the project, not the temp dir.
    const written = [...filesWrittenSince(TEST_STATE_DIR, started), ...filesWrittenSince(root, started), ...filesWrittenSince(tmpdir(), started, 2)];
    const holding = written.filter((file) => !file.startsWith(secretsDir) && readFileSync(file).includes(AGE_SENTINEL));
    expect(holding).toEqual([]);
  }, 120_000);

  it('a key that does not match must fail validate with the file named and no key material', async () => {
    const root = mkdtempSync(join(tmpdir(), 'composelet-secrets-age-'));
    const project = join(root, 'shop');
    mkdirSync(project);
    writeFileSync(join(project, 'compose.yaml'), 'services:\n  app:\n    image: composelet/busybox:1\n');
    copyFileSync(new URL('../../src/desired-state/secrets/testdata/other-recipient.env.age', import.meta.url), join(project, '.env.age'));
    const keyFile = join(root, 'age.key');
    copyFileSync(KEY_FIXTURE, keyFile);
    chmodSync(keyFile, 0o600);
    const result = await runCliCaptured(['validate', project, '--age-key-file', keyFile]);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(`cannot decrypt ${join(project, '.env.age')} (age): no identity matched`);
    expect(result.stdout + result.stderr).not.toContain('AGE-SECRET-KEY');
  }, 60_000);
});
