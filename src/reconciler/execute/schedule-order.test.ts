import { describe, expect, it } from 'vitest';
import type { Operation } from '../plan/plan.js';
import { scheduleOrder } from './schedule-order.js';

/** "create a", "start a after 0", "wait a after 1": kind, container, dependencies. */
function operations(...lines: string[]): Operation[] {
  return lines.map((line, id) => {
    const [kind, , , ...dependencies] = line.split(' ');
    return { id, kind: kind === 'wait' ? 'wait' : `${kind}-container`, dependsOn: dependencies.map(Number) } as unknown as Operation;
  });
}

describe('scheduleOrder', () => {
  it.each<[string, string[], number[]]>([
    ['independent operations keep the plan order', ['create a after', 'create b after', 'create c after'], [0, 1, 2]],
    [
      // a tier: a leaf (b) listed before the head (c) that the next tier waits on
      'the head a dependent tier waits on must come before leaves listed earlier',
      ['create b after', 'start b after 0', 'create c after', 'start c after 2', 'wait c after 3', 'create d after 4'],
      [2, 3, 0, 4, 1, 5],
    ],
    ['a chain is ordered from its start', ['start a after 1', 'create a after'], [1, 0]],
    ['a dependency cycle must not hang it', ['start a after 1', 'start b after 0'], [0, 1]],
  ])('%s', (_what, lines, expected) => {
    expect(scheduleOrder(operations(...lines))).toEqual(expected);
  });

  it('a chain of 12,000 operations must not overflow the stack', () => {
    const chain = Array.from({ length: 12_000 }, (_, id) => (id === 0 ? 'create a after' : `start a after ${id - 1}`));
    expect(scheduleOrder(operations(...chain)).slice(0, 3)).toEqual([0, 1, 2]);
  });
});
