import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdServices } from './hold.js';
import { readSuspensions, writeSuspensions } from './suspension-store.js';

describe('a command holding the controller off services while it runs', () => {
  it('must suspend what it acts on, keep an operator\'s suspension, and lift only its own hold', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'composelet-hold-'));
    const operator = { project: 'shop', service: 'db', by: 'ops@host', reason: 'vacuum', since: new Date().toISOString(), until: null };
    await writeSuspensions(stateDir, 'shop', [operator]);
    const hold = await holdServices(stateDir, 'shop', ['db', 'api'], { reason: 'composelet restart in progress', forMs: 60_000 });
    const during = await readSuspensions(stateDir, 'shop');
    expect(during.map((entry) => `${entry.service}: ${entry.reason}`)).toEqual(['db: vacuum', 'api: composelet restart in progress']);
    expect(Date.parse(during[1]!.until!) - Date.now()).toBeLessThanOrEqual(60_000);
    await hold.release();
    expect(await readSuspensions(stateDir, 'shop')).toEqual([operator]);
  });
});
