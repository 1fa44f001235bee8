import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyRemembered, parseControllerState, renderControllerState, STATE_FORMAT, type RememberedState } from './controller-state-file.js';
import { openStateStore } from './state-store.js';

const identity = { root: '/srv/manifests', engine: 'unix:///var/run/docker.sock' };
const logger = pino({ level: 'silent' });
const statePath = () => join(mkdtempSync(join(tmpdir(), 'composelet-state-')), 'state.json');
const crashing: RememberedState = {
  crashLoops: { 'shop/api': { restarts: 3, lastRestartAt: 1_000, nextAllowedAt: 9_000 } },
  updatedInPlace: { shop: ['c2', 'c1'] },
};

describe('the controller state file format', () => {
  it('what is rendered must parse back, with sections it does not know kept', () => {
    const text = renderControllerState({ identity, remembered: crashing, otherSections: { commitInForce: { sha: 'abc' } }, savedAt: 0 });
    const parsed = parseControllerState(JSON.parse(text));
    expect(parsed).toEqual({
      ok: true,
      remembered: { ...crashing, updatedInPlace: { shop: ['c1', 'c2'] } },
      otherSections: { commitInForce: { sha: 'abc' } },
    });
  });

  it.each([
    ['another file', { hello: 1 }, false, /not a composelet\/controller-state file/],
    ['a newer version', { format: STATE_FORMAT, version: 2, sections: {} }, true, /version 2 was written by a newer composelet/],
    ['a malformed section', { format: STATE_FORMAT, version: 1, sections: { crashLoops: { 'a/b': { restarts: 'x' } } } }, false, /restarts/],
  ])('%s must be refused with its cause', (_case, value, newerVersion, cause) => {
    const parsed = parseControllerState(value);
    expect(parsed).toMatchObject({ ok: false, newerVersion });
    expect(parsed.ok ? '' : parsed.cause).toMatch(cause);
  });

  it('missing sections must read as empty', () => {
    expect(parseControllerState({ format: STATE_FORMAT, version: 1, sections: {} })).toEqual({ ok: true, remembered: emptyRemembered(), otherSections: {} });
  });
});

describe('the controller state store', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('a change must be written once after the debounce, and an unchanged state never', async () => {
    const path = statePath();
    const store = await openStateStore({ path, identity, logger, debounceMs: 100 });
    expect(store.initial).toEqual(emptyRemembered());
    store.update(emptyRemembered());
    await vi.advanceTimersByTimeAsync(200);
    expect(readdirSync(join(path, '..'))).toEqual([]);
    store.update({ ...crashing, crashLoops: {} });
    store.update(crashing);
    expect(readdirSync(join(path, '..'))).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    await store.flush();
    expect(parseControllerState(JSON.parse(readFileSync(path, 'utf8')))).toMatchObject({ ok: true, remembered: { crashLoops: crashing.crashLoops } });
    const writtenAt = statSync(path).mtimeMs;
    store.update(structuredClone(crashing));
    await vi.advanceTimersByTimeAsync(200);
    await store.flush();
    expect(statSync(path).mtimeMs).toBe(writtenAt);
  });

  it('a restarted controller must load what the last one wrote, and keep sections it does not know', async () => {
    const path = statePath();
    writeFileSync(path, renderControllerState({ identity, remembered: crashing, otherSections: { failedRollouts: { api: 'h1' } }, savedAt: 0 }));
    const store = await openStateStore({ path, identity, logger });
    expect(store.initial.crashLoops).toEqual(crashing.crashLoops);
    store.update(emptyRemembered());
    await store.flush();
    expect(JSON.parse(readFileSync(path, 'utf8')).sections).toEqual({ failedRollouts: { api: 'h1' }, crashLoops: {}, updatedInPlace: {} });
  });

  it('a file of a newer version must be refused, naming it, and left untouched', async () => {
    const path = statePath();
    writeFileSync(path, JSON.stringify({ format: STATE_FORMAT, version: 9, sections: {} }));
    await expect(openStateStore({ path, identity, logger })).rejects.toThrow(`${path}: version 9 was written by a newer composelet`);
  });

  it('a file that does not parse must be moved aside and the controller start with an empty memory', async () => {
    const path = statePath();
    writeFileSync(path, '{"format": ');
    const store = await openStateStore({ path, identity, logger, now: () => 7 });
    expect(store.initial).toEqual(emptyRemembered());
    expect(readdirSync(join(path, '..'))).toEqual(['state.json.unreadable-7']);
  });
});
