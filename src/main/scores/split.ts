/**
 * The fixed split of a dataset into training and held-out images used by
 * the scores: the classifier trains on the training part and reports its
 * accuracy on the held-out part; real reference samples come from the
 * training part, so held-out images can stand in for a perfect generator.
 */
import { mixSeed, Rng } from '../common/rng';

/** Share of a dataset held out (at most HELD_OUT_MAX images). */
export const HELD_OUT_SHARE = 0.1;
export const HELD_OUT_MAX = 5000;
/** The fewest images a dataset can be scored against: two held out, two to train the classifier on. */
export const MIN_SCORED_IMAGES = 4;

/** Deterministic for a given count: the same dataset always splits the same way. */
export function datasetSplit(count: number): { train: Uint32Array; heldOut: Uint32Array } {
  if (count < MIN_SCORED_IMAGES) throw new Error(`Scores need at least ${MIN_SCORED_IMAGES} images in the dataset, got ${count}.`);
  const order = new Rng(mixSeed(0x5c0e5, count)).permutation(count);
  const held = Math.max(2, Math.min(HELD_OUT_MAX, Math.round(count * HELD_OUT_SHARE)));
  return { heldOut: order.slice(0, held).sort(), train: order.slice(held).sort() };
}
