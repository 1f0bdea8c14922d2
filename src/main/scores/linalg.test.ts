import { describe, expect, it } from 'vitest';
import { featureRows } from './features';
import { matMul, meanCovariance, symmetricEigen, symmetricFunction } from './linalg';

describe('linear algebra for FID', () => {
  it('mean and unbiased covariance of a hand-made set', () => {
    const { mean, cov } = meanCovariance(featureRows([[1, 2], [3, 6], [5, 4]]));
    expect([...mean]).toEqual([3, 4]);
    // x: 1,3,5 (dev −2,0,2); y: 2,6,4 (dev −2,2,0) → var x 4, var y 4, cov 2.
    expect([...cov]).toEqual([4, 2, 2, 4]);
  });

  it('eigen-decomposes a symmetric matrix: [[2,1],[1,2]] has eigenvalues 1 and 3', () => {
    const { values } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect([...values].sort()).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
  });

  it('a matrix square root squares back to the matrix', () => {
    const dim = 4;
    const a = Float64Array.from([4, 1, 0.5, 0, 1, 3, 0.2, 0.1, 0.5, 0.2, 2, 0.3, 0, 0.1, 0.3, 1]);
    const root = symmetricFunction(a, dim, Math.sqrt);
    const back = matMul(root, root, dim);
    back.forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 10));
  });
});
