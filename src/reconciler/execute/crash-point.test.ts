import { describe, expect, it } from 'vitest';
import { createCrashPoint, parseCrashPoint } from './crash-point.js';

describe('COMPOSELET_CRASH_AT', () => {
  it.each([
    ['create-container:1', { operationKind: 'create-container', occurrence: 1 }],
    ['wait:3', { operationKind: 'wait', occurrence: 3 }],
    [' rename-container:2 ', { operationKind: 'rename-container', occurrence: 2 }],
  ])('%j must name the operation kind and occurrence', (text, expected) => {
    expect(parseCrashPoint(text)).toEqual(expected);
  });

  it.each([undefined, ''])('%j must mean no crash point', (text) => {
    expect(parseCrashPoint(text)).toBeNull();
  });

  it.each(['create-container', 'create-container:0', 'create-container:x', ':1', 'Create:1', 'create-container:1:2'])(
    '%j must be rejected with the variable and the expected form',
    (text) => {
      expect(() => parseCrashPoint(text)).toThrow(/COMPOSELET_CRASH_AT=.*expected <operation kind>:<n>/);
    },
  );

  it('must crash right before the n-th operation of that kind, and only then', () => {
    const crashes: string[] = [];
    const crashPoint = createCrashPoint({ operationKind: 'stop-container', occurrence: 2 }, (reason) => crashes.push(reason));
    crashPoint.reached('create-container');
    crashPoint.reached('stop-container');
    expect(crashes).toEqual([]);
    crashPoint.reached('create-container');
    crashPoint.reached('stop-container');
    expect(crashes).toEqual(['crash point stop-container:2 reached']);
  });

  it('must do nothing without a crash point', () => {
    const crashes: string[] = [];
    const crashPoint = createCrashPoint(null, (reason) => crashes.push(reason));
    for (let index = 0; index < 5; index += 1) crashPoint.reached('create-container');
    expect(crashes).toEqual([]);
  });
});
