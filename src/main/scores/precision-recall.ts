/**
 * Precision and recall on k-NN manifolds. A set's manifold is the union of
 * balls around its samples, each ball reaching the sample's k-th nearest
 * neighbour in the same set (k = 3).
 * - Precision (Kynkäänniemi et al. 2019): share of generated samples inside
 *   the real manifold (quality).
 * - Recall, measured as coverage (Naeem et al. 2020): share of real samples
 *   whose own ball holds at least one generated sample (diversity: a
 *   collapsed generator covers few real samples). Kynkäänniemi's recall
 *   (reals inside the *generated* manifold) rises when garbage is mixed in,
 *   because far-apart garbage samples get huge balls: measured on
 *   Fashion-MNIST, 0.88 → 0.96 with 80% noise images (docs/scores.md).
 */
import type { FeatureSet } from './features';
import { squaredDistances } from './features';

export const MANIFOLD_K = 3;

/** Squared distance from each row to its k-th nearest other row of the same set. */
export function kthNeighbourRadii(set: FeatureSet, k = MANIFOLD_K): Float64Array {
  if (set.n <= k) throw new Error(`Precision/recall need more than k = ${k} samples per set, got ${set.n}.`);
  const distances = squaredDistances(set, set);
  const radii = new Float64Array(set.n);
  const row = new Float64Array(set.n);
  for (let i = 0; i < set.n; i += 1) {
    row.set(distances.subarray(i * set.n, (i + 1) * set.n));
    row.sort();
    // row[0] is the sample itself (distance 0); row[k] is its k-th nearest neighbour.
    radii[i] = row[k]!;
  }
  return radii;
}

/** Share of `queries` rows within the ball of at least one `manifold` row. */
export function coverage(manifold: FeatureSet, radii: Float64Array, queries: FeatureSet): number {
  const distances = squaredDistances(queries, manifold);
  let inside = 0;
  for (let q = 0; q < queries.n; q += 1) {
    for (let m = 0; m < manifold.n; m += 1) {
      if (distances[q * manifold.n + m]! <= radii[m]!) {
        inside += 1;
        break;
      }
    }
  }
  return inside / queries.n;
}

/** Share of manifold rows whose ball holds at least one of `queries` (Naeem et al.'s coverage). */
export function ballsHit(manifold: FeatureSet, radii: Float64Array, queries: FeatureSet): number {
  const distances = squaredDistances(manifold, queries);
  let hit = 0;
  for (let m = 0; m < manifold.n; m += 1) {
    for (let q = 0; q < queries.n; q += 1) {
      if (distances[m * queries.n + q]! <= radii[m]!) {
        hit += 1;
        break;
      }
    }
  }
  return hit / manifold.n;
}


/** Binomial std of a share p measured on n samples. */
export function shareStd(p: number, n: number): number {
  return Math.sqrt((p * (1 - p)) / n);
}
