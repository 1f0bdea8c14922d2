/**
 * The Cook–Toom matrices: Lavin's published F(2, 3), and for every F(m, r)
 * the kernels use, Aᵀ[(G g) ⊙ (Bᵀ d)] equal to the direct correlation in
 * float64 on random data — flipping any one entry's sign breaks it.
 */
import { describe, expect, it } from 'vitest';
import { seededValues } from '../test-support';
import { entry, MAX_TILE, winogradMatrices, type Matrix, type WinogradMatrices } from './winograd-matrices';

const rowsOf = (a: Matrix): number[][] => Array.from({ length: a.rows }, (_, i) => Array.from({ length: a.cols }, (_, j) => entry(a, i, j)));

const times = (a: Matrix, v: ArrayLike<number>): number[] =>
  Array.from({ length: a.rows }, (_, i) => Array.from({ length: a.cols }, (_, j) => entry(a, i, j) * v[j]!).reduce((s, x) => s + x, 0));

function winograd({ AT, G, BT }: WinogradMatrices, d: ArrayLike<number>, g: ArrayLike<number>): number[] {
  const u = times(G, g);
  const v = times(BT, d);
  return times(AT, u.map((x, k) => x * v[k]!));
}

const direct = (m: number, d: ArrayLike<number>, g: ArrayLike<number>): number[] =>
  Array.from({ length: m }, (_, k) => Array.from(g, (gj, j) => d[k + j]! * gj).reduce((s, x) => s + x, 0));

const maxError = (a: number[], b: number[]): number => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));

/** Every F(m, r) with n ≤ 8 for the taps the studio's phases have (5×5 splits into 3, 2). */
const SHAPES: [number, number][] = [];
for (const r of [1, 2, 3, 4, 5]) for (let m = 1; m + r - 1 <= MAX_TILE; m++) if (m + r - 1 >= 2) SHAPES.push([m, r]);

describe('winogradMatrices', () => {
  it("F(2, 3) on (0, 1, −1) is Lavin & Gray's: G holds the halves, Bᵀ and Aᵀ only 0 and ±1", () => {
    const { AT, G, BT } = winogradMatrices(2, 3);
    expect(rowsOf(AT)).toEqual([
      [1, 1, 1, 0],
      [0, 1, -1, 1],
    ]);
    expect(rowsOf(G)).toEqual([
      [1, 0, 0],
      [0.5, 0.5, 0.5],
      [0.5, -0.5, 0.5],
      [0, 0, 1],
    ]);
    expect(rowsOf(BT).map((row) => row.map((x) => x + 0))).toEqual([
      [1, 0, -1, 0],
      [0, 1, 1, 0],
      [0, -1, 1, 0],
      [0, -1, 0, 1],
    ]);
  });

  it.each(SHAPES)('F(%i, %i) computes the correlation to 1e-12 in float64', (m, r) => {
    const mats = winogradMatrices(m, r);
    expect(mats.AT.rows).toBe(m);
    expect(mats.G.cols).toBe(r);
    expect(mats.BT.rows).toBe(m + r - 1);
    for (let trial = 0; trial < 5; trial++) {
      const d = seededValues(mats.n, 10 * m + r + 100 * trial);
      const g = seededValues(r, 7 * m + r + 100 * trial + 1);
      expect(maxError(winograd(mats, d, g), direct(m, d, g))).toBeLessThan(1e-12);
    }
  });

  it('a flipped sign in any entry of Aᵀ, G or Bᵀ of F(4, 5) breaks the result', () => {
    const mats = winogradMatrices(4, 5);
    const d = seededValues(8, 3);
    const g = seededValues(5, 4);
    const expected = direct(4, d, g);
    for (const key of ['AT', 'G', 'BT'] as const) {
      const a = mats[key];
      for (let i = 0; i < a.data.length; i++) {
        if (a.data[i] === 0) continue;
        const flipped = { ...mats, [key]: { ...a, data: a.data.map((x, j) => (j === i ? -x : x)) } };
        expect(maxError(winograd(flipped, d, g), expected), `${key}[${i}]`).toBeGreaterThan(1e-6);
      }
    }
  });

  it('refuses tiles past 8 inputs with the shape it was asked for', () => {
    expect(() => winogradMatrices(5, 5)).toThrow(/got F\(5, 5\)/);
    expect(() => winogradMatrices(0, 3)).toThrow(/got F\(0, 3\)/);
  });
});
