import { describe, expect, it } from 'vitest';
import { Rng } from '../common/rng';
import { featureRows, featureSet } from './features';
import { kid, mmdUnbiased } from './kid';

const rows = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

describe('KID (unbiased MMD² with a cubic kernel)', () => {
  it('matches a hand-computed case: X = {0, 1}, Y = {2, 3}, d = 1', () => {
    // k(x,y) = (xy + 1)³. Kxx off-diagonal: k(0,1) = 1. Kyy: k(2,3) = 7³ = 343.
    // Kxy: k(0,2) = 1, k(0,3) = 1, k(1,2) = 27, k(1,3) = 64 → mean 23.25.
    // MMD² = 1 + 343 − 2·23.25 = 297.5
    const x = featureRows([[0], [1]]);
    const y = featureRows([[2], [3]]);
    expect(mmdUnbiased(x, rows(2), y, rows(2))).toBe(297.5);
    // Symmetric in its arguments.
    expect(mmdUnbiased(y, rows(2), x, rows(2))).toBe(297.5);
  });

  it('is about 0 for two samples of one distribution and positive for a shifted one', () => {
    const sample = (seed: number, shift: number) => featureSet(Array.from(new Rng(seed).normals(600 * 8), (v) => v + shift), 600, 8);
    const same = kid(sample(1, 0), sample(2, 0), 9);
    const shifted = kid(sample(1, 0), sample(3, 0.5), 9);
    expect(Math.abs(same.value)).toBeLessThan(2 * same.std + 1e-3);
    expect(shifted.value).toBeGreaterThan(same.value + 3 * shifted.std);
    expect(shifted.std).toBeGreaterThan(0);
  });

  it('of a set against itself is the negative diagonal correction (hand-computed: X = {0, 1, 2})', () => {
    // Within-set means skip the diagonal, the cross mean keeps it. Off-diagonal pairs: 1, 1, 27 (mean 29/3);
    // cross: (2·29 + 1 + 8 + 125)/9 = 192/9. MMD² = 2·29/3 − 2·192/9 = −70/3.
    const x = featureRows([[0], [1], [2]]);
    expect(mmdUnbiased(x, rows(3), x, rows(3))).toBeCloseTo(-70 / 3, 12);
  });
});
