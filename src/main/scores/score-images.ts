/**
 * Scoring a set of generated images against a dataset: draw a real
 * reference sample from the dataset's training split, embed both with the
 * dataset's feature network, and run every applicable score of the
 * registry. Every value carries its std and the sample size behind it.
 */
import type { ScoreFeature, ScoreMap, ScoreName } from '../../shared/scores';
import { SCORE_NAMES } from '../../shared/scores';
import type { FeatureNetwork, ScoringDataset } from './feature-network';
import { loadFeatureNetwork } from './feature-network';
import type { FeatureSet } from './features';
import { scoreRng } from './features';
import type { ImageSet } from './images';
import { conformImages, readImageSet } from './images';
import type { ScoreInputs } from './registry';
import { SCORES } from './registry';
import { kthNeighbourRadii } from './precision-recall';
import { datasetSplit } from './split';
import type { LevelDescriptors } from './swd';
import { swdDescriptors } from './swd';

/** The real side of a comparison, prepared once and reused (e.g. every epoch of a run). */
export interface ScoreReference {
  images: ImageSet;
  features: FeatureSet;
  /** The real manifold's k-NN radii, computed on first use. */
  radii(): Float64Array;
  /** SWD descriptors, computed on first use. */
  descriptors(): LevelDescriptors[];
}

/** Seed of every draw the scores make, so runs and epochs are comparable. */
export const SCORE_SEED = 20251;

/** The dataset's image shape. */
export function datasetShape(dataset: ScoringDataset): { height: number; width: number; channels: 1 | 3 } {
  return { height: dataset.manifest.height, width: dataset.manifest.width, channels: dataset.manifest.channels };
}

/** `size` real images from the training split (the same ones for the same dataset and size), embedded. */
export async function prepareReference(dataset: ScoringDataset, network: FeatureNetwork, size: number): Promise<ScoreReference> {
  const { train } = datasetSplit(dataset.manifest.count);
  const order = scoreRng(SCORE_SEED, 'reference').permutation(train.length);
  const picked = Array.from(order.subarray(0, Math.min(size, train.length)), (i) => train[i]!);
  const images = await readImageSet(dataset, datasetShape(dataset), picked);
  const { features } = await network.embed(images);
  let descriptors: LevelDescriptors[] | undefined;
  let radii: Float64Array | undefined;
  return {
    images,
    features,
    radii: () => (radii ??= kthNeighbourRadii(features)),
    descriptors: () => (descriptors ??= swdDescriptors(images, SCORE_SEED)),
  };
}

export interface ScoreImagesInput {
  /** Generated (or any) images, any size; brought to the dataset's shape. */
  generated: ImageSet;
  dataset: ScoringDataset;
  /** The dataset's feature network; default: loadFeatureNetwork(dataset) (trained on first use), freed after. */
  network?: FeatureNetwork;
  /** Real reference sample size; with `reference`, its size wins. */
  sampleSize: number;
  /** Scores wanted (default: every score the feature network allows). */
  scores?: readonly ScoreName[];
  /** A reference prepared earlier with prepareReference, with the same network. */
  reference?: ScoreReference;
}

export interface ScoreImagesResult {
  /** Generated images scored (each score's n). */
  sampleSize: number;
  /** Real reference images compared against. */
  referenceSize: number;
  feature: ScoreFeature;
  scores: ScoreMap;
  /** Scores asked for that this dataset cannot give, with why. */
  skipped: { name: ScoreName; reason: string }[];
}

/** Scores `generated` against the dataset; see ScoreImagesInput. */
export async function scoreImages(input: ScoreImagesInput): Promise<ScoreImagesResult> {
  if (input.network) return scoreWith(input, input.network);
  const network = await loadFeatureNetwork(input.dataset);
  try {
    return await scoreWith(input, network);
  } finally {
    network.dispose();
  }
}

async function scoreWith(input: ScoreImagesInput, network: FeatureNetwork): Promise<ScoreImagesResult> {
  const wanted = input.scores ?? SCORE_NAMES;
  const reference = input.reference ?? (await prepareReference(input.dataset, network, input.sampleSize));
  const generated = conformImages(input.generated, datasetShape(input.dataset));
  if (generated.n < 5) throw new Error(`Scoring needs at least 5 generated images, got ${generated.n}.`);
  const embedded = await network.embed(generated);
  let descriptors: LevelDescriptors[] | undefined;
  const inputs: ScoreInputs = {
    seed: SCORE_SEED,
    features: () => ({ real: reference.features, generated: embedded.features }),
    realRadii: () => reference.radii(),
    descriptors: () => ({ real: reference.descriptors(), generated: (descriptors ??= swdDescriptors(generated, SCORE_SEED + 1)) }),
    probabilities: () => embedded.probabilities,
  };
  const scores: ScoreMap = {};
  const skipped: ScoreImagesResult['skipped'] = [];
  for (const score of SCORES) {
    if (!wanted.includes(score.spec.name)) continue;
    if (score.spec.needsClassifier && !network.classifies) {
      skipped.push({ name: score.spec.name, reason: 'needs a labelled dataset (its classifier); this dataset has no labels' });
      continue;
    }
    const { value, std } = score.compute(inputs);
    scores[score.spec.name] = { value, std, n: generated.n };
  }
  return { sampleSize: generated.n, referenceSize: reference.images.n, feature: network.feature, scores, skipped };
}
