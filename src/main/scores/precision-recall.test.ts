import { describe, expect, it } from 'vitest';
import { featureRows } from './features';
import { coverage, kthNeighbourRadii, precisionRecall } from './precision-recall';

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
  });

  it('a collapsed generated set has high precision but low recall', () => {
    // Real: 20 points on a line. Generated: four copies each of two real points (mode collapse).
    const real = featureRows(Array.from({ length: 20 }, (_, i) => [i, 0]));
    const collapsed = featureRows([...Array(4).fill([3, 0]), ...Array(4).fill([4, 0])]);
    const { precision, recall } = precisionRecall(real, collapsed, 3);
    expect(precision).toBe(1);
    // The generated balls have radius 0 (the 3rd neighbour is a copy): they cover only reals 3 and 4.
    expect(recall).toBe(2 / 20);
    // Generated far away: nothing inside the real manifold, and no real inside theirs.
    const far = precisionRecall(real, featureRows(Array.from({ length: 8 }, (_, i) => [100 + i, 50])), 3);
    expect(far).toEqual({ precision: 0, recall: 0 });
  });
});
