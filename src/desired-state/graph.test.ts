import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDependencyGraph, formatCycle } from './graph.js';

function levelsOf(services: string[], edges: Record<string, string[]>): string[][] {
  const result = buildDependencyGraph(services, edges);
  if (!result.ok) throw new Error(`unexpected cycles: ${JSON.stringify(result.cycles)}`);
  return result.graph.levels;
}

function cyclesOf(services: string[], edges: Record<string, string[]>): string[][] {
  const result = buildDependencyGraph(services, edges);
  if (result.ok) throw new Error(`expected cycles, got levels ${JSON.stringify(result.graph.levels)}`);
  return result.cycles;
}

describe('buildDependencyGraph levels', () => {
  it.each<{ name: string; services: string[]; edges: Record<string, string[]>; levels: string[][] }>([
    { name: 'no services', services: [], edges: {}, levels: [] },
    { name: 'a single service', services: ['api'], edges: {}, levels: [['api']] },
    {
      name: 'independent services',
      services: ['worker', 'api', 'db'],
      edges: {},
      levels: [['api', 'db', 'worker']],
    },
    {
      name: 'a chain',
      services: ['web', 'api', 'db'],
      edges: { web: ['api'], api: ['db'] },
      levels: [['db'], ['api'], ['web']],
    },
    {
      name: 'a diamond',
      services: ['top', 'left', 'right', 'bottom'],
      edges: { top: ['left', 'right'], left: ['bottom'], right: ['bottom'] },
      levels: [['bottom'], ['left', 'right'], ['top']],
    },
    {
      name: 'a shortcut edge (a service waits for its deepest dependency)',
      services: ['a', 'b', 'c'],
      edges: { a: ['b', 'c'], b: ['c'] },
      levels: [['c'], ['b'], ['a']],
    },
    {
      name: 'two separate chains and a loner',
      services: ['z1', 'z2', 'a1', 'a2', 'm'],
      edges: { z2: ['z1'], a2: ['a1'] },
      levels: [['a1', 'm', 'z1'], ['a2', 'z2']],
    },
    {
      name: 'duplicated edges and services',
      services: ['api', 'db', 'api'],
      edges: { api: ['db', 'db'] },
      levels: [['db'], ['api']],
    },
  ])('levels must follow dependencies for $name', ({ services, edges, levels }) => {
    expect(levelsOf(services, edges)).toEqual(levels);
  });

  it('levels must not depend on the order of the input', () => {
    const edges = { web: ['cache', 'api'], api: ['db', 'queue'], worker: ['queue', 'db'] };
    const forward = levelsOf(['web', 'api', 'worker', 'db', 'queue', 'cache'], edges);
    const backward = levelsOf(['cache', 'queue', 'db', 'worker', 'api', 'web'], {
      worker: ['db', 'queue'],
      api: ['queue', 'db'],
      web: ['api', 'cache'],
    });
    expect(forward).toEqual([['cache', 'db', 'queue'], ['api', 'worker'], ['web']]);
    expect(backward).toEqual(forward);
  });

  it('levels must sort names by code unit, not by locale', () => {
    expect(levelsOf(['b', 'a', 'B', 'A', '_'], {})).toEqual([['A', 'B', '_', 'a', 'b']]);
  });
});

describe('buildDependencyGraph dependencies and dependents', () => {
  it('dependencies and dependents must list every service, sorted and deduplicated', () => {
    const result = buildDependencyGraph(['web', 'api', 'db', 'cache', 'lonely'], {
      web: ['cache', 'api', 'api'],
      api: ['db'],
      cache: ['db'],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.graph.dependencies).toEqual({
      api: ['db'],
      cache: ['db'],
      db: [],
      lonely: [],
      web: ['api', 'cache'],
    });
    expect(result.graph.dependents).toEqual({
      api: ['web'],
      cache: ['web'],
      db: ['api', 'cache'],
      lonely: [],
      web: [],
    });
  });

  it('an edge naming an unknown service must be rejected', () => {
    expect(() => buildDependencyGraph(['api'], { api: ['ghost'] })).toThrow(/ghost/);
    expect(() => buildDependencyGraph(['api'], { ghost: ['api'] })).toThrow(/ghost/);
  });
});

describe('buildDependencyGraph cycles', () => {
  it.each<{ name: string; services: string[]; edges: Record<string, string[]>; cycles: string[][] }>([
    { name: 'a self-loop', services: ['api'], edges: { api: ['api'] }, cycles: [['api']] },
    {
      name: 'a two-service loop',
      services: ['db', 'api'],
      edges: { db: ['api'], api: ['db'] },
      cycles: [['api', 'db']],
    },
    {
      name: 'a three-service loop written from its middle',
      services: ['worker', 'db', 'api'],
      edges: { db: ['worker'], worker: ['api'], api: ['db'] },
      cycles: [['api', 'db', 'worker']],
    },
    {
      name: 'a loop in the other direction',
      services: ['worker', 'db', 'api'],
      edges: { api: ['worker'], worker: ['db'], db: ['api'] },
      cycles: [['api', 'worker', 'db']],
    },
    {
      name: 'two separate loops',
      services: ['x', 'y', 'b', 'a', 'm'],
      edges: { y: ['x'], x: ['y'], b: ['a'], a: ['b'], m: ['m'] },
      cycles: [['a', 'b'], ['m'], ['x', 'y']],
    },
    {
      name: 'two loops found in reverse name order (one behind a bystander)',
      services: ['a', 'b', 'c', 'y', 'z'],
      edges: { a: ['y'], y: ['z'], z: ['y'], b: ['c'], c: ['b'] },
      cycles: [['b', 'c'], ['y', 'z']],
    },
    {
      name: 'a loop plus innocent bystanders (upstream, downstream, unrelated)',
      services: ['api', 'db', 'worker', 'web', 'base', 'solo'],
      edges: { web: ['api'], api: ['db'], db: ['worker'], worker: ['api', 'base'] },
      cycles: [['api', 'db', 'worker']],
    },
    {
      name: 'two loops sharing a member (one component, walked through every member)',
      services: ['a', 'b', 'c'],
      edges: { a: ['b'], b: ['a', 'c'], c: ['b'] },
      cycles: [['a', 'b', 'c', 'b']],
    },
    {
      name: 'a loop with a chord',
      services: ['a', 'b', 'c', 'd'],
      edges: { a: ['b'], b: ['c'], c: ['d', 'a'], d: ['a'] },
      cycles: [['a', 'b', 'c', 'd']],
    },
  ])('cycles must be reported for $name', ({ services, edges, cycles }) => {
    expect(cyclesOf(services, edges)).toEqual(cycles);
  });

  it('every step of a reported cycle must be a real dependency', () => {
    const edges: Record<string, string[]> = {
      a: ['c', 'e'],
      b: ['a'],
      c: ['b', 'd'],
      d: ['b'],
      e: ['d'],
    };
    const cycles = cyclesOf(['a', 'b', 'c', 'd', 'e'], edges);
    expect(cycles).toHaveLength(1);
    const cycle = cycles[0] ?? [];
    expect(cycle[0]).toBe('a');
    expect(new Set(cycle)).toEqual(new Set(['a', 'b', 'c', 'd', 'e']));
    cycle.forEach((from, index) => {
      const to = cycle[(index + 1) % cycle.length] ?? '';
      expect(edges[from]).toContain(to);
    });
  });
});

describe('formatCycle', () => {
  it.each([
    { cycle: ['api', 'db', 'worker'], text: 'api -> db -> worker -> api' },
    { cycle: ['api'], text: 'api -> api' },
    { cycle: [], text: '' },
  ])('formatCycle must close the loop for $cycle', ({ cycle, text }) => {
    expect(formatCycle(cycle)).toBe(text);
  });
});

describe('buildDependencyGraph at scale and on random graphs', () => {
  it('a chain of 5000 services must be levelled without overflowing the stack', () => {
    const count = 5000;
    const names = Array.from({ length: count }, (_, index) => `s${String(index).padStart(4, '0')}`);
    const edges: Record<string, string[]> = {};
    for (let index = 1; index < count; index++) edges[names[index] as string] = [names[index - 1] as string];
    const levels = levelsOf([...names].reverse(), edges);
    expect(levels).toHaveLength(count);
    expect(levels.map((level) => level[0])).toEqual(names);
  });

  it('a loop of 5000 services must be reported without overflowing the stack', () => {
    const count = 5000;
    const names = Array.from({ length: count }, (_, index) => `s${String(index).padStart(4, '0')}`);
    const edges: Record<string, string[]> = {};
    for (let index = 0; index < count; index++) edges[names[index] as string] = [names[(index + 1) % count] as string];
    expect(cyclesOf(names, edges)).toEqual([names]);
  });

  it('every service of a random acyclic graph must appear once, above all of its dependencies', () => {
    const dag = fc.integer({ min: 0, max: 40 }).chain((count) =>
      fc.record({
        count: fc.constant(count),
        // Edges only from a higher index to a lower one: acyclic by construction.
        edges: fc.array(
          fc.tuple(fc.nat({ max: Math.max(count - 1, 0) }), fc.nat({ max: Math.max(count - 1, 0) })),
          { maxLength: count * 3 },
        ),
        order: fc.shuffledSubarray([...Array(count).keys()], { minLength: count, maxLength: count }),
      }),
    );
    fc.assert(
      fc.property(dag, ({ count, edges, order }) => {
        const names = order.map((index) => `service-${index}`);
        const dependencyMap: Record<string, string[]> = {};
        for (const [from, to] of edges) {
          if (from <= to) continue;
          (dependencyMap[`service-${from}`] ??= []).push(`service-${to}`);
        }
        const result = buildDependencyGraph(names, dependencyMap);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const levelOf = new Map<string, number>();
        result.graph.levels.forEach((level, index) => {
          expect(level).toEqual([...level].sort());
          for (const name of level) {
            expect(levelOf.has(name)).toBe(false);
            levelOf.set(name, index);
          }
        });
        expect(levelOf.size).toBe(count);
        for (const name of names) {
          const level = levelOf.get(name) ?? -1;
          for (const dependency of result.graph.dependencies[name] ?? []) {
            expect(levelOf.get(dependency) ?? Infinity).toBeLessThan(level);
          }
          for (const dependent of result.graph.dependents[name] ?? []) {
            expect(result.graph.dependencies[dependent]).toContain(name);
          }
        }
      }),
    );
  });
});
