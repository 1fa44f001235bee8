import { describe, expect, it } from 'vitest';
import { orderUnknownByMeasure } from '../support/longest-first-sequencer.js';

// The order files start in when several run at a time: within a project, files with a measured time
// first (longest first), then the rest in vitest's order; every file is still there, projects keep
// their places.

const seconds: Record<string, number> = { 'engine:bench': 360, 'engine:adopt': 90, 'engine:edits': 50 };
const order = (files: string[]) =>
  orderUnknownByMeasure(files, { projectOf: (file) => file.split(':')[0]!, measuredSeconds: (file) => seconds[file] });

describe('orderUnknownByMeasure', () => {
  it.each([
    { files: [], expected: [] },
    { files: ['engine:a', 'engine:b'], expected: ['engine:a', 'engine:b'] },
    { files: ['engine:a', 'engine:adopt', 'engine:b', 'engine:bench'], expected: ['engine:bench', 'engine:adopt', 'engine:a', 'engine:b'] },
    { files: ['engine:edits', 'engine:adopt', 'engine:bench'], expected: ['engine:bench', 'engine:adopt', 'engine:edits'] },
    {
      files: ['unit:x', 'unit:y', 'engine:a', 'engine:bench', 'browser:page'],
      expected: ['unit:x', 'unit:y', 'engine:bench', 'engine:a', 'browser:page'],
    },
  ])('$files must start as $expected', ({ files, expected }) => {
    expect(order(files)).toEqual(expected);
  });

  it('must keep every file exactly once', () => {
    const files = ['unit:x', 'engine:a', 'engine:edits', 'engine:b', 'engine:bench', 'engine:adopt', 'browser:page'];
    expect(order(files).sort()).toEqual([...files].sort());
  });
});
