import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adoptsItself } from '../../../src/desired-state/normalize/adoption-setting.js';
import { loadDesiredState } from '../../../src/desired-state/load.js';
import { writeManifestTree, yaml } from '../../support/manifest-files.js';

// `x-composelet: { adopt: true }` asks the controller to take the project over from docker compose: the key
// must load (it is part of composelet's project settings), and a value that is no boolean is rejected there.

function load(content: string) {
  const directory = writeManifestTree({ 'compose.yaml': content }, { directoryName: 'proj' });
  return { file: join(directory, 'compose.yaml'), result: loadDesiredState(directory, { environment: {} }) };
}

describe('x-composelet.adopt', () => {
  it.each([
    ['true', true],
    ['false', false],
    ['"yes"', true],
  ])('adopt: %s must load and read as %s', (value, expected) => {
    const { result } = load(yaml`
      x-composelet:
        adopt: ${value}
      services:
        api: { image: x }
    `);
    if (!result.ok) throw new Error(result.issues.map((issue) => issue.message).join('; '));
    expect(adoptsItself(result.state.projects[0]!)).toBe(expected);
  });

  it('adopt that is not a boolean must be rejected at its line with the cause', () => {
    const { file, result } = load(yaml`
      x-composelet:
        adopt: always
      services:
        api: { image: x }
    `);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([expect.objectContaining({ file, line: 2, path: 'x-composelet.adopt', message: expect.stringContaining('true or false') })]);
  });
});
