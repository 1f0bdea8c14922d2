/**
 * Recognisable %: the share of images the classifier assigns to one real
 * class with confidence at least RECOGNISABLE_CONFIDENCE. The classifier
 * has an extra last class, "none of these", trained on noise and heavily
 * corrupted images, so garbage lands there instead of on a confident real
 * class (a plain softmax is confidently wrong on noise).
 */
import type { FeatureSet } from './features';
import { shareStd } from './precision-recall';

export const RECOGNISABLE_CONFIDENCE = 0.8;

/** Recognisable share in percent with its binomial std, from n × (classes + 1) probabilities (last = none). */
export function recognisable(probabilities: FeatureSet, confidence = RECOGNISABLE_CONFIDENCE): { value: number; std: number } {
  const none = probabilities.dim - 1;
  if (none < 1) throw new Error(`Recognisable: expected at least one real class plus "none of these", got ${probabilities.dim} columns.`);
  let recognised = 0;
  for (let i = 0; i < probabilities.n; i += 1) {
    let best = 0;
    for (let k = 1; k < probabilities.dim; k += 1) if (probabilities.data[i * probabilities.dim + k]! > probabilities.data[i * probabilities.dim + best]!) best = k;
    if (best !== none && probabilities.data[i * probabilities.dim + best]! >= confidence) recognised += 1;
  }
  const share = recognised / probabilities.n;
  return { value: 100 * share, std: 100 * shareStd(share, probabilities.n) };
}
