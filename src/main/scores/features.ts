/**
 * Feature sets the scores compare: n row vectors of `dim` numbers each,
 * stored row-major in one Float64Array (scores sum many small terms).
 */
import { mixSeed, Rng } from '../common/rng';

/** A random stream for one score's draws (subsets, bootstraps, projections), independent of training's. */
export function scoreRng(seed: number, purpose: string, counter = 0): Rng {
  let tag = 0;
  for (const char of purpose) tag = Math.imul(tag, 31) + char.charCodeAt(0);
  return new Rng(mixSeed(seed, 0x5c0e5, tag, counter));
}

/** n feature vectors of length dim, row-major. */
export interface FeatureSet {
  data: Float64Array;
  n: number;
  dim: number;
}

/** Wraps row-major data as a FeatureSet, checking its length. */
export function featureSet(data: ArrayLike<number>, n: number, dim: number): FeatureSet {
  if (data.length !== n * dim) throw new Error(`Feature set: expected ${n}×${dim} = ${n * dim} numbers, got ${data.length}.`);
  return { data: Float64Array.from(data), n, dim };
}

/** Builds a FeatureSet from an array of equal-length rows. */
export function featureRows(rows: readonly (readonly number[])[]): FeatureSet {
  const dim = rows[0]?.length ?? 0;
  return featureSet(rows.flat(), rows.length, dim);
}

/** The rows at `indices` (repeats allowed), as a new set. */
export function pickRows(set: FeatureSet, indices: ArrayLike<number>): FeatureSet {
  const data = new Float64Array(indices.length * set.dim);
  for (let i = 0; i < indices.length; i += 1) data.set(set.data.subarray(indices[i]! * set.dim, (indices[i]! + 1) * set.dim), i * set.dim);
  return { data, n: indices.length, dim: set.dim };
}

/** Squared Euclidean distances between every row of a and every row of b (a.n × b.n, row-major). */
export function squaredDistances(a: FeatureSet, b: FeatureSet): Float64Array {
  if (a.dim !== b.dim) throw new Error(`Feature sets differ in dimension: ${a.dim} vs ${b.dim}.`);
  const norms = (set: FeatureSet) => {
    const out = new Float64Array(set.n);
    for (let i = 0; i < set.n; i += 1) {
      let sum = 0;
      for (let k = 0; k < set.dim; k += 1) sum += set.data[i * set.dim + k]! ** 2;
      out[i] = sum;
    }
    return out;
  };
  const na = norms(a);
  const nb = norms(b);
  const out = new Float64Array(a.n * b.n);
  for (let i = 0; i < a.n; i += 1) {
    for (let j = 0; j < b.n; j += 1) {
      let dot = 0;
      for (let k = 0; k < a.dim; k += 1) dot += a.data[i * a.dim + k]! * b.data[j * b.dim + k]!;
      // ‖x−y‖² = ‖x‖² + ‖y‖² − 2x·y, clamped: rounding can make it slightly negative.
      out[i * b.n + j] = Math.max(0, na[i]! + nb[j]! - 2 * dot);
    }
  }
  return out;
}

/** Mean and sample standard deviation (n − 1) of a list; std 0 for fewer than two values. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((sum, v) => sum + v, 0) / Math.max(values.length, 1);
  if (values.length < 2) return { mean, std: 0 };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}
