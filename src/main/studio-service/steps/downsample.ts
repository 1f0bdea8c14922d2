/**
 * Min/max-preserving downsampling of step series, so a chart of 200k steps
 * travels as ~2,000 points yet still shows every spike: the series is cut
 * into equal buckets of steps and each bucket keeps, for every series, the
 * row holding its minimum and the row holding its maximum. The first and last
 * rows always stay, so the line spans the whole range. Rows, not single
 * values, are kept: one kept row carries every series at that step.
 */

/** Indices into the rows [from, to) to keep: at most `maxPoints`, ascending. */
export function downsampleRows(series: ArrayLike<number>[], from: number, to: number, maxPoints: number): number[] {
  const count = to - from;
  if (count <= 0) return [];
  if (count <= maxPoints) return Array.from({ length: count }, (_, i) => from + i);
  // Each bucket keeps up to two rows per series; the endpoints are kept apart from the buckets.
  const perBucket = 2 * Math.max(1, series.length);
  if (maxPoints < 2 + perBucket) throw new RangeError(`expected maxPoints >= ${2 + perBucket} for ${series.length} series, got ${maxPoints}`);
  const buckets = Math.floor((maxPoints - 2) / perBucket);
  const inner = count - 2;
  const kept = new Set<number>([from, to - 1]);
  for (let b = 0; b < buckets; b++) {
    const start = from + 1 + Math.floor((b * inner) / buckets);
    const end = from + 1 + Math.floor(((b + 1) * inner) / buckets);
    for (const values of series) {
      let low = -1;
      let high = -1;
      let gap = -1;
      for (let i = start; i < end; i++) {
        const value = values[i]!;
        if (Number.isNaN(value)) {
          if (gap < 0) gap = i;
          continue;
        }
        if (low < 0 || value < values[low]!) low = i;
        if (high < 0 || value > values[high]!) high = i;
      }
      if (low >= 0) kept.add(low);
      if (high >= 0) kept.add(high);
      // A bucket with no number at all (a diverged stretch) keeps one row so the chart shows the gap.
      if (low < 0 && gap >= 0) kept.add(gap);
    }
  }
  return [...kept].sort((a, b) => a - b);
}
