/**
 * Cook–Toom matrices for Winograd's minimal filtering F(m, r) along one axis
 * (Lavin & Gray 2015, built as andravin/wincnn builds them): m outputs of an
 * r-tap correlation from n = m + r − 1 inputs,
 *
 *   y = Aᵀ [(G g) ⊙ (Bᵀ d)],   y[k] = Σ_j d[k + j] · g[j]  (k < m),
 *
 * with n − 1 finite interpolation points from POINTS and the point at
 * infinity. Row scaling: G's rows are divided by f_k = Π_{l≠k} (a_k − a_l)
 * (the fractions live in G, which is transformed once per call) and Bᵀ's rows
 * multiplied by it; row 0's sign is chosen so f_0 > 0. For F(2, 3) on
 * (0, 1, −1) this gives Lavin's matrices exactly (winograd-matrices.test.ts).
 * Computed in float64; the kernels round them to float32 once.
 */

/** A dense row-major matrix: data[i·cols + j]. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export interface WinogradMatrices {
  m: number;
  r: number;
  n: number;
  /** m × n. */
  AT: Matrix;
  /** n × r. */
  G: Matrix;
  /** n × n. */
  BT: Matrix;
}

/** The interpolation points in the order they are taken (small values first keeps the error low). */
export const POINTS = [0, 1, -1, 2, -2, 1 / 2, -1 / 2] as const;
/** The largest tile: 7 finite points plus ∞. */
export const MAX_TILE = POINTS.length + 1;

export function matrix(rows: number, cols: number, at: (i: number, j: number) => number): Matrix {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = at(i, j);
  return { rows, cols, data };
}

export const entry = (a: Matrix, i: number, j: number): number => a.data[i * a.cols + j]!;

export const transpose = (a: Matrix): Matrix => matrix(a.cols, a.rows, (i, j) => entry(a, j, i));

/** Coefficients (x⁰ first) of Π_{l≠skip} (x − points[l]) (skip −1: every point). */
function productPolynomial(points: readonly number[], skip: number): number[] {
  let poly = [1];
  points.forEach((p, l) => {
    if (l === skip) return;
    const next = new Array<number>(poly.length + 1).fill(0);
    poly.forEach((c, d) => {
      next[d + 1]! += c;
      next[d]! -= p * c;
    });
    poly = next;
  });
  return poly;
}

/**
 * The matrices of F(m, r); n = m + r − 1 must be 2..MAX_TILE. The
 * correlation is the transpose of Toom–Cook's polynomial product: Aᵀ and G
 * evaluate at the points (∞ taking the top coefficient), Bᵀ is the
 * transposed interpolation — row k the Lagrange numerator Π_{l≠k}(x − a_l),
 * the ∞ row Π_l(x − a_l).
 */
export function winogradMatrices(m: number, r: number): WinogradMatrices {
  const n = m + r - 1;
  if (!(Number.isInteger(m) && Number.isInteger(r) && m >= 1 && r >= 1 && n >= 2 && n <= MAX_TILE)) {
    throw new Error(`Winograd F(m, r) needs whole m, r ≥ 1 with 2 ≤ m + r − 1 ≤ ${MAX_TILE}, got F(${m}, ${r})`);
  }
  const points = POINTS.slice(0, n - 1);
  const last = n - 1;
  const f = points.map((a, k) => points.reduce((prod, b, l) => (l === k ? prod : prod * (a - b)), 1));
  // Row 0's sign flips so its scale is positive (wincnn's choice: Lavin's F(2, 3) rows come out as published).
  const sign = f.map((value, k) => (k === 0 && value < 0 ? -1 : 1));
  const AT = matrix(m, n, (i, k) => (k === last ? (i === m - 1 ? 1 : 0) : points[k]! ** i));
  const G = matrix(n, r, (k, j) => (k === last ? (j === r - 1 ? 1 : 0) : points[k]! ** j / (sign[k]! * f[k]!)));
  const rows = [...points.map((_, k) => productPolynomial(points, k).map((c) => sign[k]! * c)), productPolynomial(points, -1)];
  const BT = matrix(n, n, (k, j) => rows[k]![j] ?? 0);
  return { m, r, n, AT, G, BT };
}
