/**
 * Kernel inception distance (Bińkowski et al. 2018): the unbiased estimate
 * of MMD² between two feature sets with the cubic polynomial kernel
 * k(x, y) = (x·y / d + 1)³, averaged over random subsets; std over subsets.
 */
import type { FeatureSet } from './features';
import { meanStd, scoreRng } from './features';

/** k(x, y) = (x·y / d + 1)³ between row i of a and row j of b. */
function kernel(a: FeatureSet, i: number, b: FeatureSet, j: number): number {
  let dot = 0;
  for (let k = 0; k < a.dim; k += 1) dot += a.data[i * a.dim + k]! * b.data[j * b.dim + k]!;
  return (dot / a.dim + 1) ** 3;
}

/**
 * Unbiased MMD² of the rows `xs` of x against the rows `ys` of y:
 * mean over i≠j of k(xᵢ,xⱼ) + mean over i≠j of k(yᵢ,yⱼ) − 2·mean of k(xᵢ,yⱼ).
 */
export function mmdUnbiased(x: FeatureSet, xs: ArrayLike<number>, y: FeatureSet, ys: ArrayLike<number>): number {
  if (x.dim !== y.dim) throw new Error(`KID: feature dimensions differ, ${x.dim} vs ${y.dim}.`);
  const m = xs.length;
  const n = ys.length;
  if (m < 2 || n < 2) throw new Error(`KID needs at least 2 samples per set, got ${m} and ${n}.`);
  const within = (set: FeatureSet, rows: ArrayLike<number>) => {
    let sum = 0;
    for (let i = 0; i < rows.length; i += 1) for (let j = i + 1; j < rows.length; j += 1) sum += kernel(set, rows[i]!, set, rows[j]!);
    return (2 * sum) / (rows.length * (rows.length - 1));
  };
  let cross = 0;
  for (let i = 0; i < m; i += 1) for (let j = 0; j < n; j += 1) cross += kernel(x, xs[i]!, y, ys[j]!);
  return within(x, xs) + within(y, ys) - (2 * cross) / (m * n);
}

export const KID_SUBSETS = 20;
export const KID_MAX_SUBSET = 250;

/**
 * KID: mean and std of the unbiased MMD² over KID_SUBSETS random subsets of
 * min(KID_MAX_SUBSET, n/2) rows of each set (without replacement within a
 * subset; at most half of the smaller set, so subsets differ and the std
 * says how much the estimate moves with the sample).
 */
export function kid(real: FeatureSet, generated: FeatureSet, seed: number): { value: number; std: number } {
  const size = Math.min(KID_MAX_SUBSET, Math.max(2, Math.floor(Math.min(real.n, generated.n) / 2)));
  const rng = scoreRng(seed, 'kid');
  const estimates: number[] = [];
  for (let s = 0; s < KID_SUBSETS; s += 1) {
    const xs = rng.permutation(real.n).subarray(0, size);
    const ys = rng.permutation(generated.n).subarray(0, size);
    estimates.push(mmdUnbiased(real, xs, generated, ys));
  }
  const { mean, std } = meanStd(estimates);
  return { value: mean, std };
}
