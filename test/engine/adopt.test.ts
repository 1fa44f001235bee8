import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { removeProjectObjects, runDocker, TERM_AWARE_COMMAND, TEST_IMAGE, testEngine, uniqueProjectName } from '../support/engine.js';
import { pollUrl } from '../support/port-poller.js';
import { runCliCaptured } from '../support/run-cli.js';

// Taking over a stack docker compose runs: from the legacy docker-compose 1.29 (v1 names) and from
// containers labelled as Compose v2 makes them (v2 names). Nothing is changed until the operator adopts;
// adopting keeps data in named and anonymous volumes, does not run a completed one-shot again, leaves no
// service down for long, and puts the old container back when its replacement fails.

const engine = testEngine();
const execFileAsync = promisify(execFile);
const projects: string[] = [];
afterEach(async () => {
  for (const name of projects.splice(0)) await removeProjectObjects(engine, name);
});

function fixture(name: string): string {
  const directory = mkdtempSync(join(tmpdir(), `composelet-${name}-`));
  cpSync(fileURLToPath(new URL(`testdata/${name}`, import.meta.url)), directory, { recursive: true });
  return directory;
}

async function composeV1(directory: string, projectName: string, env: Record<string, string>, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync('docker-compose', ['-p', projectName, ...args], { cwd: directory, env: { ...process.env, ...env } });
    return stdout;
  } catch (error) {
    throw new Error(`docker-compose ${args.join(' ')} failed: ${(error as { stderr?: string }).stderr ?? String(error)}`, { cause: error });
  }
}

/** name -> id, running?, managed? of every container of the project. */
async function containersOf(projectName: string): Promise<Record<string, { id: string; running: boolean; managed: boolean }>> {
  const ids = (await runDocker(['ps', '-aq', '--no-trunc', '--filter', `label=com.docker.compose.project=${projectName}`])).split('\n').filter(Boolean);
  const result: Record<string, { id: string; running: boolean; managed: boolean }> = {};
  for (const id of ids) {
    const inspect = JSON.parse(await runDocker(['inspect', id]))[0];
    result[inspect.Name.slice(1)] = { id, running: inspect.State.Running, managed: inspect.Config.Labels['io.composelet.managed'] === 'true' };
  }
  return result;
}

const cli = (argv: string[], env: Record<string, string> = {}) => runCliCaptured(argv, { env: { PATH: process.env.PATH, DOCKER_HOST: process.env.DOCKER_HOST, ...env } });

describe('adopting a stack docker compose runs', () => {
  it('a stack started by docker-compose 1.29 must be left untouched until adopted, then taken over with its data, its one-shot not re-run, each service down once', async () => {
    const projectName = uniqueProjectName('adopt-v1');
    projects.push(projectName);
    const directory = fixture('adopt');
    const env = { WEB_PORT: String(20_000 + Math.floor(Math.random() * 20_000)) };
    await composeV1(directory, projectName, env, 'up', '-d');
    const db = `${projectName}_db_1`;
    await eventually(async () => expect((await containersOf(projectName))[`${projectName}_web_1`]?.running).toBe(true), { timeoutMs: 60_000 });
    await runDocker(['exec', db, 'sh', '-c', 'echo named-data > /data/named.txt && echo anonymous-data > /scratch/anon.txt']);
    const before = await containersOf(projectName);

    // Without adoption: one clear error, nothing changed, nothing created beside them.
    for (const command of ['plan', 'apply']) {
      const refused = await cli([command, directory, '-p', projectName], env);
      expect(refused.code).toBe(1);
      expect(refused.stdout + refused.stderr).toContain('running under docker compose, not adopted');
      expect(refused.stdout + refused.stderr).toContain('composelet adopt');
    }
    expect(await containersOf(projectName)).toEqual(before);

    // Adopt, while a client keeps asking the web service.
    const dryRun = await cli(['adopt', directory, '-p', projectName, '--dry-run'], env);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain(`~ adopt service:db from docker compose: ${db} (v1 name, running)`);
    expect(await containersOf(projectName)).toEqual(before);
    const poller = pollUrl(`http://127.0.0.1:${env.WEB_PORT}/`);
    const adopted = await cli(['adopt', directory, '-p', projectName], env);
    const availability = await poller.stop();
    expect(adopted.stderr).toBe('');
    expect(adopted.code).toBe(0);

    const after = await containersOf(projectName);
    expect(Object.keys(after).sort()).toEqual([`${projectName}-db-1`, `${projectName}-migrate-1`, `${projectName}-web-1`]);
    expect(Object.values(after).every((container) => container.managed)).toBe(true);
    expect(after[`${projectName}-db-1`]!.running && after[`${projectName}-web-1`]!.running).toBe(true);
    const newDb = `${projectName}-db-1`;
    expect(await runDocker(['exec', newDb, 'cat', '/data/named.txt', '/scratch/anon.txt'])).toBe('named-data\nanonymous-data\n');
    // The one-shot ran once, under docker compose, and not again.
    expect(await runDocker(['exec', newDb, 'cat', '/data/migrations.log'])).toBe('migrated\n');
    // The web service was down once, for about a stop and a start (TERM-aware, so no grace period).
    expect(availability.answered).toBeGreaterThan(0);
    expect(availability.longestGapMs).toBeLessThan(5_000);
    // docker compose still sees the services.
    expect(await composeV1(directory, projectName, env, 'ps')).toContain(`${projectName}-web-1`);

    // Adopted: applying again changes nothing.
    const again = await cli(['apply', directory, '-p', projectName], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('no changes');
    expect(await containersOf(projectName)).toEqual(after);

    // Going back: docker-compose takes its services over again, with the data.
    await composeV1(directory, projectName, env, 'up', '-d');
    const back = await containersOf(projectName);
    expect(Object.keys(back).sort()).toEqual([`${projectName}_db_1`, `${projectName}_migrate_1`, `${projectName}_web_1`]);
    expect(Object.values(back).some((container) => container.managed)).toBe(false);
    expect(await runDocker(['exec', db, 'cat', '/data/named.txt'])).toBe('named-data\n');
  });

  it('a v2-named container whose replacement never becomes healthy must be put back under its own name, running, with nothing left beside it', async () => {
    const projectName = uniqueProjectName('adopt-v2');
    projects.push(projectName);
    const directory = fixture('adopt-failing');
    const labels = (service: string) => [
      '--label', `com.docker.compose.project=${projectName}`,
      '--label', `com.docker.compose.service=${service}`,
      '--label', 'com.docker.compose.container-number=1',
      '--label', 'com.docker.compose.oneoff=False',
    ];
    await runDocker(['network', 'create', '--label', `com.docker.compose.project=${projectName}`, '--label', 'com.docker.compose.network=default', `${projectName}_default`]);
    const oldId = (
      await runDocker(['run', '-d', '--name', `${projectName}-api-1`, '--network', `${projectName}_default`, ...labels('api'), TEST_IMAGE, ...TERM_AWARE_COMMAND])
    ).trim();

    const adopted = await cli(['adopt', directory, '-p', projectName, '--timeout', '20s']);
    expect(adopted.code).toBe(1);
    expect(adopted.stdout).toContain(`~ adopt service:api from docker compose: ${projectName}-api-1 (v2 name, running)`);

    const after = await containersOf(projectName);
    expect(after).toEqual({ [`${projectName}-api-1`]: { id: oldId, running: true, managed: false } });

    // Fixed manifests: the same container is then adopted for good.
    const fixed = (await import('node:fs')).readFileSync(join(directory, 'compose.yaml'), 'utf8').replace('["CMD", "false"]', '["CMD", "true"]');
    (await import('node:fs')).writeFileSync(join(directory, 'compose.yaml'), fixed);
    const second = await cli(['adopt', directory, '-p', projectName]);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const adoptedNow = await containersOf(projectName);
    expect(Object.keys(adoptedNow)).toEqual([`${projectName}-api-1`]);
    expect(adoptedNow[`${projectName}-api-1`]!.managed).toBe(true);
    expect(adoptedNow[`${projectName}-api-1`]!.id).not.toBe(oldId);
    await removeProjectObjects(engine, projectName);
    await runDocker(['network', 'rm', `${projectName}_default`]).catch(() => '');
  });
});
