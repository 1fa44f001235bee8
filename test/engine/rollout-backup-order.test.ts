import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { writeManifestTree } from '../support/manifest-files.js';
import { runCliCaptured } from '../support/run-cli.js';

// The pre-recreate backup runs before the rollout touches anything: its artifact is on disk before the
// replacement exists (`apply` writes its audit lines after the run, all stamped alike, so the artifact's
// time is the evidence here).

const engine = testEngine();
const projects: string[] = [];
afterEach(async () => {
  for (const name of projects.splice(0)) await removeProjectObjects(engine, name);
});

describe('a rollout after a pre-recreate backup', () => {
  it('the backup artifact must be on disk before the rollout creates the replacement', async () => {
    const name = uniqueProjectName('rollout-backup');
    projects.push(name);
    const manifest = (word: string) =>
      [
        `name: ${name}`,
        'x-composelet: { rollout: { monitor: 1s } }',
        'services:',
        '  api:',
        '    image: composelet/busybox:1',
        '    init: true',
        `    command: ["sh", "-c", "echo ${word} > /data/word; trap 'exit 0' TERM; sleep 86400 & wait"]`,
        '    volumes: [data:/data]',
        '    x-composelet:',
        '      backup: { strategy: exec, command: "cat /data/word", destination: ./backups }',
        'volumes:',
        '  data: {}',
        '',
      ].join('\n');
    const directory = writeManifestTree({ 'compose.yaml': manifest('first') });
    expect((await runCliCaptured(['apply', directory, '--timeout', '30s'])).code).toBe(0);
    const oldId = (await runDocker(['inspect', '--format', '{{.Id}}', `${name}-api-1`])).trim();
    writeFileSync(join(directory, 'compose.yaml'), manifest('second'));
    const applied = await runCliCaptured(['apply', directory, '--timeout', '30s']);
    expect(applied.code).toBe(0);

    // The artifact holds what the old container had written, and was on disk before the replacement existed.
    const files = (function walk(path: string): string[] {
      return readdirSync(path, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(path, entry.name)) : [join(path, entry.name)]));
    })(join(directory, 'backups'));
    expect(files.length).toBeGreaterThan(0);
    const created = Date.parse((await runDocker(['inspect', '--format', '{{.Created}}', `${name}-api-1`])).trim());
    expect(Math.min(...files.map((file) => statSync(file).mtimeMs))).toBeLessThan(created);
    expect((await runDocker(['inspect', '--format', '{{.Id}}', `${name}-api-1`])).trim()).not.toBe(oldId);
    expect(existsSync(join(directory, 'backups'))).toBe(true);
  });
});
