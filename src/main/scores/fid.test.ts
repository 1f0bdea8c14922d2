import { describe, expect, it } from 'vitest';
import { Rng } from '../common/rng';
import { featureSet } from './features';
import { fid, frechetDistance, gaussianStats } from './fid';

/** n samples of N(mean, diag(variances)). */
function gaussianSamples(n: number, mean: number[], variances: number[], seed: number) {
  const normals = new Rng(seed).normals(n * mean.length);
  const data = Array.from(normals, (z, i) => mean[i % mean.length]! + Math.sqrt(variances[i % mean.length]!) * z);
  return featureSet(data, n, mean.length);
}

/** Closed form for diagonal covariances: ‖μ₁−μ₂‖² + Σ (√a − √b)². */
function closedForm(m1: number[], v1: number[], m2: number[], v2: number[]): number {
  return m1.reduce((sum, m, i) => sum + (m - m2[i]!) ** 2 + (Math.sqrt(v1[i]!) - Math.sqrt(v2[i]!)) ** 2, 0);
}

describe('FID (Fréchet distance)', () => {
  it('equals the closed form for two known Gaussians', () => {
    const a = { mean: Float64Array.from([0, 1]), cov: Float64Array.from([4, 0, 0, 1]), dim: 2 };
    const b = { mean: Float64Array.from([3, 1]), cov: Float64Array.from([1, 0, 0, 9]), dim: 2 };
    // |μ|² = 9; (2−1)² + (1−3)² = 5
    expect(frechetDistance(a, b)).toBeCloseTo(14, 10);
  });

  it('handles non-commuting full covariances (checked against scipy.linalg.sqrtm)', () => {
    const a = { mean: Float64Array.from([0, 0]), cov: Float64Array.from([2, 1, 1, 2]), dim: 2 };
    const b = { mean: Float64Array.from([1, 0]), cov: Float64Array.from([1, 0, 0, 3]), dim: 2 };
    // AB = [[2,3],[1,6]]: trace 8, det 9. For a 2×2 matrix, tr √M = √(tr M + 2√det M) = √14,
    // so FID = 1 + tr(A + B) − 2√14 = 1 + 8 − 2√14 (scipy's sqrtm agrees).
    const traceRoot = Math.sqrt(14);
    expect(frechetDistance(a, b)).toBeCloseTo(1 + 8 - 2 * traceRoot, 10);
  });

  it('sample statistics of two Gaussians approach the closed form; identical sets give 0', () => {
    const m1 = [0, 0, 0];
    const v1 = [1, 1, 1];
    const m2 = [1, 0, -0.5];
    const v2 = [4, 1, 0.25];
    const x = gaussianSamples(20000, m1, v1, 1);
    const y = gaussianSamples(20000, m2, v2, 2);
    expect(frechetDistance(gaussianStats(x), gaussianStats(y))).toBeCloseTo(closedForm(m1, v1, m2, v2), 1);
    expect(frechetDistance(gaussianStats(x), gaussianStats(x))).toBeCloseTo(0, 8);
  });

  it('grows with the shift between the sets and reports a bootstrap std', () => {
    const real = gaussianSamples(400, [0, 0], [1, 1], 3);
    const near = fid(real, gaussianSamples(400, [0.5, 0], [1, 1], 4), 7);
    const far = fid(real, gaussianSamples(400, [2, 0], [1, 1], 5), 7);
    expect(far.value).toBeGreaterThan(near.value);
    expect(near.value).toBeCloseTo(0.25, 0);
    expect(near.std).toBeGreaterThan(0);
    expect(near.std).toBeLessThan(near.value);
  });
});
