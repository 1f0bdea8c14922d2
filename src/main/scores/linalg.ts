/**
 * The little linear algebra FID needs: mean and covariance of a feature set,
 * and the eigen-decomposition of a symmetric matrix by cyclic Jacobi
 * rotations (exact to rounding for the 64–128-dimensional features here).
 */
import type { FeatureSet } from './features';

/** Mean vector and unbiased covariance (n − 1), row-major dim × dim. */
export function meanCovariance(set: FeatureSet): { mean: Float64Array; cov: Float64Array } {
  const { n, dim, data } = set;
  if (n < 2) throw new Error(`Covariance needs at least 2 samples, got ${n}.`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i += 1) for (let k = 0; k < dim; k += 1) mean[k]! += data[i * dim + k]!;
  for (let k = 0; k < dim; k += 1) mean[k]! /= n;
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let i = 0; i < n; i += 1) {
    for (let k = 0; k < dim; k += 1) centred[k] = data[i * dim + k]! - mean[k]!;
    for (let a = 0; a < dim; a += 1) {
      const ca = centred[a]!;
      if (ca === 0) continue;
      for (let b = a; b < dim; b += 1) cov[a * dim + b]! += ca * centred[b]!;
    }
  }
  for (let a = 0; a < dim; a += 1) {
    for (let b = a; b < dim; b += 1) {
      const value = cov[a * dim + b]! / (n - 1);
      cov[a * dim + b] = value;
      cov[b * dim + a] = value;
    }
  }
  return { mean, cov };
}

/**
 * Eigenvalues and eigenvectors of a symmetric dim × dim matrix (row-major):
 * A = V diag(values) Vᵀ, eigenvectors in V's columns.
 */
export function symmetricEigen(matrix: Float64Array, dim: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i += 1) v[i * dim + i] = 1;
  const scale = a.reduce((max, x) => Math.max(max, Math.abs(x)), 0) || 1;
  for (let sweep = 0; sweep < 100; sweep += 1) {
    let off = 0;
    for (let p = 0; p < dim; p += 1) for (let q = p + 1; q < dim; q += 1) off += a[p * dim + q]! ** 2;
    if (Math.sqrt(off) <= 1e-15 * scale * dim) break;
    for (let p = 0; p < dim; p += 1) {
      for (let q = p + 1; q < dim; q += 1) {
        const apq = a[p * dim + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        // The rotation angle that zeroes a[p][q] (Numerical Recipes' stable form).
        const theta = (a[q * dim + q]! - a[p * dim + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < dim; k += 1) {
          const akp = a[k * dim + p]!;
          const akq = a[k * dim + q]!;
          a[k * dim + p] = c * akp - s * akq;
          a[k * dim + q] = s * akp + c * akq;
        }
        for (let k = 0; k < dim; k += 1) {
          const apk = a[p * dim + k]!;
          const aqk = a[q * dim + k]!;
          a[p * dim + k] = c * apk - s * aqk;
          a[q * dim + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < dim; k += 1) {
          const vkp = v[k * dim + p]!;
          const vkq = v[k * dim + q]!;
          v[k * dim + p] = c * vkp - s * vkq;
          v[k * dim + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(dim);
  for (let i = 0; i < dim; i += 1) values[i] = a[i * dim + i]!;
  return { values, vectors: v };
}

/** V diag(f(values)) Vᵀ for a symmetric matrix: e.g. its square root with f = √max(0, λ). */
export function symmetricFunction(matrix: Float64Array, dim: number, f: (eigenvalue: number) => number): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, dim);
  const out = new Float64Array(dim * dim);
  for (let k = 0; k < dim; k += 1) {
    const weight = f(values[k]!);
    if (weight === 0) continue;
    for (let i = 0; i < dim; i += 1) {
      const vik = vectors[i * dim + k]! * weight;
      for (let j = 0; j < dim; j += 1) out[i * dim + j]! += vik * vectors[j * dim + k]!;
    }
  }
  return out;
}

/** Product of two dim × dim row-major matrices. */
export function matMul(a: Float64Array, b: Float64Array, dim: number): Float64Array {
  const out = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i += 1) {
    for (let k = 0; k < dim; k += 1) {
      const aik = a[i * dim + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < dim; j += 1) out[i * dim + j]! += aik * b[k * dim + j]!;
    }
  }
  return out;
}
