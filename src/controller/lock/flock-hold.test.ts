import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tryFlock } from './flock-hold.js';

const lockFile = () => join(mkdtempSync(join(tmpdir(), 'composelet-flock-')), 'lock');

describe('a flock held by a child process', () => {
  it('a second taker must be refused while the first holds it, and succeed once it is released', async () => {
    const path = lockFile();
    const first = await tryFlock(path);
    expect(first).not.toBeNull();
    expect(await tryFlock(path)).toBeNull();
    await first!.release();
    expect(await first!.ended).toEqual({ released: true });
    const second = await tryFlock(path);
    expect(second).not.toBeNull();
    await second!.release();
  });

  it('the lock must be released by the kernel when its holding process is SIGKILLed', async () => {
    const path = lockFile();
    // A process that takes the lock the same way and then is killed, as a crashed controller would be.
    const script = `const { tryFlock } = await import(${JSON.stringify(new URL('./flock-hold.ts', import.meta.url).pathname)});
      await tryFlock(${JSON.stringify(path)}); console.log('held'); setInterval(() => {}, 1000);`;
    const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve()));
    expect(await tryFlock(path)).toBeNull();
    holder.kill('SIGKILL');
    let taken = await tryFlock(path);
    const deadline = Date.now() + 2_000;
    while (taken === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      taken = await tryFlock(path);
    }
    expect(taken).not.toBeNull();
    await taken!.release();
  }, 15_000);

  it('a missing flock binary must be reported by name', async () => {
    await expect(tryFlock(lockFile(), { command: 'flock-that-does-not-exist' })).rejects.toThrow('needs flock(1) (util-linux)');
  });
});
