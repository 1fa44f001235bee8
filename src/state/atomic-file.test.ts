import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';
import { defaultStateDir } from './state-dir.js';

describe('state files', () => {
  it('an atomic write must replace the file whole and leave no temporary file behind', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'composelet-state-'));
    const path = join(directory, 'nested', 'state.json');
    await writeFileAtomic(path, JSON.stringify({ generation: 1 }));
    await writeFileAtomic(path, JSON.stringify({ generation: 2 }));
    expect(await readJsonFile(path)).toEqual({ generation: 2 });
    expect(readdirSync(join(directory, 'nested'))).toEqual(['state.json']);
  });

  it('a missing file must read as null and a torn one as an error naming it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'composelet-state-'));
    expect(await readJsonFile(join(directory, 'none.json'))).toBeNull();
    writeFileSync(join(directory, 'torn.json'), '{"generation": ');
    await expect(readJsonFile(join(directory, 'torn.json'))).rejects.toThrow(`${join(directory, 'torn.json')}: not valid JSON`);
  });

  it.each([
    [{ COMPOSELET_STATE_DIR: '/srv/state' }, 1000, '/srv/state'],
    [{}, 0, '/var/lib/composelet'],
    [{ XDG_STATE_HOME: '/home/ops/.state' }, 1000, '/home/ops/.state/composelet'],
    [{ HOME: '/home/ops' }, 1000, '/home/ops/.local/state/composelet'],
  ])('the default state directory for %j and uid %i must be %s', (env, uid, expected) => {
    expect(defaultStateDir(env, { uid })).toBe(expected);
  });
});
