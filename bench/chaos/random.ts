// A small seeded PRNG (mulberry32), so a chaos run is reproducible from its seed: the same seed gives the
// same faults, targets and pauses. Pure, no I/O, never Math.random.

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [minimum, maximum]. */
  integer(minimum: number, maximum: number): number;
  pick<T>(items: readonly T[]): T;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    integer(minimum, maximum) {
      return minimum + Math.floor(next() * (maximum - minimum + 1));
    },
    pick(items) {
      if (items.length === 0) throw new RangeError('pick from no items');
      return items[Math.floor(next() * items.length)]!;
    },
  };
}
