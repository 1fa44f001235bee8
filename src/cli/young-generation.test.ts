import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { youngGenerationFlag } from './young-generation.js';

describe('youngGenerationFlag', () => {
  it('must stop the growth when the operator chose nothing', () => {
    expect(youngGenerationFlag([], undefined)).toBe('--semi-space-growth-factor=1');
    expect(youngGenerationFlag(['--no-warnings'], '--enable-source-maps')).toBe('--semi-space-growth-factor=1');
  });

  it("must leave the operator's own semi-space setting alone, on the command line or in NODE_OPTIONS", () => {
    expect(youngGenerationFlag(['--max-semi-space-size=32'], undefined)).toBeNull();
    expect(youngGenerationFlag([], '--enable-source-maps --max_semi_space_size=8')).toBeNull();
    expect(youngGenerationFlag([], '--semi-space-growth-factor=4')).toBeNull();
  });

  it('the flag, set at run time, must keep the young generation at its initial size in a real V8', () => {
    // A child process, so this test's own heap is not touched: set the flag, allocate as a reconcile does,
    // and read the new space's size from V8.
    const script = `
      const v8 = require('node:v8');
      if (process.argv[1] === 'set') v8.setFlagsFromString(${JSON.stringify(youngGenerationFlag([], undefined))});
      let keep = [];
      for (let i = 0; i < 300000; i++) { keep.push({ i, text: 'x' + i }); if (keep.length > 5000) keep = []; }
      const space = v8.getHeapSpaceStatistics().find((entry) => entry.space_name === 'new_space');
      process.stdout.write(String(space.space_size));`;
    const newSpace = (mode: string) => Number(spawnSync(process.execPath, ['-e', script, mode], { encoding: 'utf8', env: { PATH: process.env['PATH'] } }).stdout);
    const grown = newSpace('default');
    const kept = newSpace('set');
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(grown).toBeGreaterThan(kept);
  });
});
