import { describe, expect, it } from 'vitest';
import { adoptionWanted, adoptsItself } from './adoption-setting.js';

describe('adoptsItself', () => {
  it.each([
    [{}, false],
    [{ adopt: true }, true],
    [{ adopt: false }, false],
    [{ adopt: 'true' }, true],
    [{ adopt: 'yes' }, true],
    [{ adopt: 'false' }, false],
    [{ adopt: 1 }, false],
    [{ healing: { enabled: true } }, false],
  ])('x-composelet %j must read as adopt=%s', (composelet, expected) => {
    expect(adoptsItself({ composelet })).toBe(expected);
  });
});

describe('adoptionWanted', () => {
  it.each([
    [false, {}, false],
    [true, {}, true],
    [false, { adopt: true }, true],
    [true, { adopt: false }, true],
  ])('--adopt=%s with x-composelet %j must adopt=%s', (adoptAll, composelet, expected) => {
    expect(adoptionWanted({ composelet }, { adoptAll })).toBe(expected);
  });
});
