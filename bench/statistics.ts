// Figures from repeated runs: the median and the spread (min–max), and percentiles (linear interpolation
// between closest ranks, as spreadsheets and numpy compute them by default). Pure, no I/O.

export interface Summary {
  median: number;
  min: number;
  max: number;
  count: number;
}

/** The value below which `fraction` (0..1) of the samples fall, interpolated between closest ranks. */
export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) throw new RangeError('percentile of no samples');
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`percentile fraction must be within 0..1, got ${fraction}`);
  const sorted = [...samples].sort((left, right) => left - right);
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const lowerValue = sorted[lower]!;
  return lowerValue + (sorted[upper]! - lowerValue) * (position - lower);
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 0.5);
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('summary of no samples');
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), count: samples.length };
}

/** The exponent k in time ∝ n^k between two sizes: 1 is linear growth, below 1 sublinear. */
export function growthExponent(small: { size: number; value: number }, large: { size: number; value: number }): number {
  if (small.size <= 0 || large.size <= small.size || small.value <= 0 || large.value <= 0) {
    throw new RangeError('growth exponent needs two positive figures at two increasing sizes');
  }
  return Math.log(large.value / small.value) / Math.log(large.size / small.size);
}
