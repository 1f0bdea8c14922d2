import { describe, expect, it } from 'vitest';
import { downsampleRows } from './downsample';

/** A noisy series with one spike and one dip at known rows. */
function series(length: number, seed: number, spike: number, dip: number): Float64Array {
  const values = new Float64Array(length);
  for (let i = 0; i < length; i++) values[i] = Math.sin(i * 0.37 + seed) + ((i * 7919 + seed) % 13) / 100;
  values[spike] = 9;
  values[dip] = -9;
  return values;
}

const argmin = (v: Float64Array): number => v.indexOf(Math.min(...v));
const argmax = (v: Float64Array): number => v.indexOf(Math.max(...v));

describe('downsampleRows', () => {
  const a = series(100_000, 1, 31_337, 77_001);
  const b = series(100_000, 2, 5, 99_990);

  it('keeps every row when they fit', () => {
    expect(downsampleRows([a], 10, 20, 2000)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(downsampleRows([a], 5, 5, 2000)).toEqual([]);
  });

  it('stays within the point budget, ascending, without duplicates', () => {
    expect(() => downsampleRows([a, b], 0, a.length, 5)).toThrow(/maxPoints >= 6/);
    for (const budget of [6, 10, 100, 2000]) {
      const rows = downsampleRows([a, b], 0, a.length, budget);
      expect(rows.length).toBeLessThanOrEqual(budget);
      expect(rows.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < rows.length; i++) expect(rows[i]!).toBeGreaterThan(rows[i - 1]!);
    }
    // Two series, 2,000 points: (2000 - 2) / 4 = 499 buckets, each keeping at most 4 rows.
    expect(downsampleRows([a, b], 0, a.length, 2000).length).toBeGreaterThan(1000);
  });

  it('keeps both endpoints of the range', () => {
    const rows = downsampleRows([a, b], 1234, 87_654, 500);
    expect(rows[0]).toBe(1234);
    expect(rows.at(-1)).toBe(87_653);
    expect(rows.every((row) => row >= 1234 && row < 87_654)).toBe(true);
  });

  it("keeps each series' global minimum and maximum", () => {
    const rows = downsampleRows([a, b], 0, a.length, 200);
    for (const values of [a, b]) {
      expect(rows).toContain(argmin(values));
      expect(rows).toContain(argmax(values));
      const kept = rows.map((row) => values[row]!);
      expect(Math.min(...kept)).toBe(Math.min(...values));
      expect(Math.max(...kept)).toBe(Math.max(...values));
    }
  });

  it('keeps the minimum and maximum of every bucket, so a zoomed-out line still shows each excursion', () => {
    // Budget 2 + 2 series × 2 × 10 buckets = 42 → 10 buckets over rows 1..n-2.
    const rows = new Set(downsampleRows([a, b], 0, a.length, 42));
    const inner = a.length - 2;
    for (let bucket = 0; bucket < 10; bucket++) {
      const start = 1 + Math.floor((bucket * inner) / 10);
      const end = 1 + Math.floor(((bucket + 1) * inner) / 10);
      for (const values of [a, b]) {
        const slice = values.subarray(start, end);
        expect(rows).toContain(start + argmin(slice));
        expect(rows).toContain(start + argmax(slice));
      }
    }
  });

  it('skips NaN when looking for extremes, but keeps one row of an all-NaN stretch to show the gap', () => {
    const values = new Float64Array(1000).fill(1);
    values.fill(Number.NaN, 400, 600);
    values[100] = 5;
    const rows = downsampleRows([values], 0, 1000, 2 + 2 * 10);
    expect(rows).toContain(100);
    expect(rows.some((row) => Number.isNaN(values[row]!))).toBe(true);
  });
});
