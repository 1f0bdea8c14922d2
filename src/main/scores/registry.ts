/**
 * The score registry: one entry per score, pairing its shared spec (name,
 * label, direction, cost, whether it needs the classifier) with the pure
 * function that computes it. scoreImages and every consumer iterate SCORES;
 * adding a score is one module plus one entry here.
 */
import type { ScoreName, ScoreSpec } from '../../shared/scores';
import { scoreSpec } from '../../shared/scores';
import type { FeatureSet } from './features';
import { fid } from './fid';
import { kid } from './kid';
import { ballsHit, coverage, shareStd } from './precision-recall';
import { recognisable } from './recognisable';
import type { LevelDescriptors } from './swd';
import { slicedWasserstein } from './swd';

/** What a score may read; expensive parts are computed on first use. */
export interface ScoreInputs {
  seed: number;
  /** Features of the real reference sample and of the generated sample. */
  features(): { real: FeatureSet; generated: FeatureSet };
  /** Squared k-th neighbour radii of the real features (the real manifold). */
  realRadii(): Float64Array;
  /** Laplacian-pyramid patch descriptors of both samples. */
  descriptors(): { real: LevelDescriptors[]; generated: LevelDescriptors[] };
  /** Classifier probabilities of the generated sample (last column "none of these"); undefined without a classifier. */
  probabilities(): FeatureSet | undefined;
}

export interface ScoreModule {
  spec: ScoreSpec;
  /** value and std (n is the generated sample size, added by the caller). */
  compute(inputs: ScoreInputs): { value: number; std: number };
}

function entry(name: ScoreName, compute: ScoreModule['compute']): ScoreModule {
  return { spec: scoreSpec(name), compute };
}

export const SCORES: readonly ScoreModule[] = [
  entry('fid', (inputs) => {
    const { real, generated } = inputs.features();
    return fid(real, generated, inputs.seed);
  }),
  entry('kid', (inputs) => {
    const { real, generated } = inputs.features();
    return kid(real, generated, inputs.seed);
  }),
  entry('swd', (inputs) => {
    const { real, generated } = inputs.descriptors();
    return slicedWasserstein(real, generated, inputs.seed);
  }),
  entry('precision', (inputs) => {
    const { real, generated } = inputs.features();
    const share = coverage(real, inputs.realRadii(), generated);
    return { value: share, std: shareStd(share, generated.n) };
  }),
  entry('recall', (inputs) => {
    const { real, generated } = inputs.features();
    const share = ballsHit(real, inputs.realRadii(), generated);
    return { value: share, std: shareStd(share, real.n) };
  }),
  entry('recognisable', (inputs) => {
    const probabilities = inputs.probabilities();
    if (!probabilities) throw new Error('recognisable % needs the classifier of a labelled dataset.');
    return recognisable(probabilities);
  }),
];
