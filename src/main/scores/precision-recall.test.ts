import { describe, expect, it } from 'vitest';
import { featureRows } from './features';
import type { FeatureSet } from './features';
import { ballsHit, coverage, kthNeighbourRadii } from './precision-recall';

/** Precision and recall as the registry computes them: both on the real manifold. */
function precisionRecall(real: FeatureSet, generated: FeatureSet, k: number) {
  const radii = kthNeighbourRadii(real, k);
  return { precision: coverage(real, radii, generated), recall: ballsHit(real, radii, generated) };
}

describe('precision and recall (k-NN manifolds)', () => {
  it('k-th neighbour radius skips the sample itself', () => {
    const set = featureRows([[0], [1], [3], [6]]);
    // Squared distances from 0: 1, 9, 36 → the 1st neighbour is at 1, the 2nd at 9.
    expect(kthNeighbourRadii(set, 1)[0]).toBe(1);
    expect(kthNeighbourRadii(set, 2)[0]).toBe(9);
  });

  it('a sample on the ball’s edge counts as inside, one just beyond does not', () => {
    const manifold = featureRows([[0], [1]]);
    const radii = kthNeighbourRadii(manifold, 1); // both balls have radius 1
    expect(coverage(manifold, radii, featureRows([[2]]))).toBe(1);
    expect(coverage(manifold, radii, featureRows([[2.01]]))).toBe(0);
    expect(coverage(manifold, radii, featureRows([[-1], [0.5], [5], [9]]))).toBe(0.5);
    // Balls hit: 2 lies in the ball of 1 only; 2.01 in none.
    expect(ballsHit(manifold, radii, featureRows([[2]]))).toBe(0.5);
    expect(ballsHit(manifold, radii, featureRows([[2.01]]))).toBe(0);
  });

  it('a collapsed generated set has high precision but low recall', () => {
    // Real: 20 points on a line (each ball reaches its 3rd neighbour: radius 2, 3 at the ends).
    const real = featureRows(Array.from({ length: 20 }, (_, i) => [i, 0]));
    const collapsed = featureRows([...Array(4).fill([3, 0]), ...Array(4).fill([4, 0])]);
    const { precision, recall } = precisionRecall(real, collapsed, 3);
    expect(precision).toBe(1);
    // Balls holding 3 or 4: reals 1…6 (radius 2) and real 0 (radius 3, reaching 3) → 7 of 20.
    expect(recall).toBe(7 / 20);
    // Generated far away: nothing inside the real manifold, no real ball hit.
    expect(precisionRecall(real, featureRows(Array.from({ length: 8 }, (_, i) => [100 + i, 50])), 3)).toEqual({ precision: 0, recall: 0 });
  });

  it('recall does not rise when garbage is mixed in (why it is measured as coverage)', () => {
    const real = featureRows(Array.from({ length: 20 }, (_, i) => [i, 0]));
    const partial = featureRows(Array.from({ length: 8 }, (_, i) => [i, 0]));
    const withGarbage = featureRows([...Array.from({ length: 8 }, (_, i) => [i, 0]), [10, 40], [-10, -40], [40, 10], [30, -30]]);
    expect(precisionRecall(real, withGarbage, 3).recall).toBe(precisionRecall(real, partial, 3).recall);
    // Kynkäänniemi's recall (reals inside the generated manifold) is fooled: the garbage's huge balls cover every real.
    const kynkaanniemi = (generated: typeof real) => coverage(generated, kthNeighbourRadii(generated, 3), real);
    expect(kynkaanniemi(withGarbage)).toBe(1);
    expect(kynkaanniemi(partial)).toBeLessThan(0.6);
  });
});
