/**
 * Fréchet distance (Heusel et al. 2017): fit a Gaussian to each feature set
 * and measure ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½). The trace of the square
 * root of the (non-symmetric) product is computed symmetrically:
 * tr((Σ₁Σ₂)^½) = tr((Σ₁^½ Σ₂ Σ₁^½)^½) = Σ √λᵢ of the symmetric middle matrix.
 */
import type { FeatureSet } from './features';
import { meanStd, pickRows, scoreRng } from './features';
import { matMul, meanCovariance, symmetricEigen, symmetricFunction } from './linalg';

export interface GaussianStats {
  mean: Float64Array;
  cov: Float64Array;
  dim: number;
}

/** Mean and covariance of a feature set. */
export function gaussianStats(set: FeatureSet): GaussianStats {
  return { ...meanCovariance(set), dim: set.dim };
}

/** The Fréchet distance between two Gaussians. */
export function frechetDistance(a: GaussianStats, b: GaussianStats): number {
  if (a.dim !== b.dim) throw new Error(`FID: feature dimensions differ, ${a.dim} vs ${b.dim}.`);
  const dim = a.dim;
  let meanTerm = 0;
  let traces = 0;
  for (let i = 0; i < dim; i += 1) {
    meanTerm += (a.mean[i]! - b.mean[i]!) ** 2;
    traces += a.cov[i * dim + i]! + b.cov[i * dim + i]!;
  }
  const rootA = symmetricFunction(a.cov, dim, (lambda) => Math.sqrt(Math.max(0, lambda)));
  const middle = matMul(matMul(rootA, b.cov, dim), rootA, dim);
  // Symmetrise away rounding so Jacobi sees an exactly symmetric matrix.
  for (let i = 0; i < dim; i += 1) {
    for (let j = i + 1; j < dim; j += 1) {
      const average = (middle[i * dim + j]! + middle[j * dim + i]!) / 2;
      middle[i * dim + j] = average;
      middle[j * dim + i] = average;
    }
  }
  const { values } = symmetricEigen(middle, dim);
  const traceRoot = values.reduce((sum, lambda) => sum + Math.sqrt(Math.max(0, lambda)), 0);
  return Math.max(0, meanTerm + traces - 2 * traceRoot);
}

/** Bootstrap resamples behind FID's std. */
export const FID_BOOTSTRAPS = 8;

/**
 * FID of generated vs real features; std over bootstrap resamples of both
 * sets (the spread from sampling, not a confidence interval of the bias).
 */
export function fid(real: FeatureSet, generated: FeatureSet, seed: number): { value: number; std: number } {
  const value = frechetDistance(gaussianStats(real), gaussianStats(generated));
  const rng = scoreRng(seed, 'fid');
  const resampled: number[] = [];
  const draw = (n: number) => Uint32Array.from({ length: n }, () => Math.floor(rng.next() * n));
  for (let b = 0; b < FID_BOOTSTRAPS; b += 1) {
    resampled.push(frechetDistance(gaussianStats(pickRows(real, draw(real.n))), gaussianStats(pickRows(generated, draw(generated.n)))));
  }
  return { value, std: meanStd(resampled).std };
}
