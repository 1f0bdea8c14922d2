/**
 * Quality scores (docs/scores.md). What other modules use:
 * - SCORES: the registry (spec + compute per score); SCORE_SPECS in src/shared/scores.ts for views.
 * - loadFeatureNetwork(dataset): the dataset's cached classifier (trained on first use) or the
 *   random projection for unlabelled data.
 * - scoreImages({generated, dataset, network, sampleSize, scores?, reference?}) → {sampleSize,
 *   referenceSize, feature, scores: {name: {value, std, n}}, skipped}.
 * - sampleGenerator(generator, latentDim, n): scoring samples on the fixed latent stream.
 */
export { SCORES } from './registry';
export type { ScoreModule, ScoreInputs } from './registry';
export { hasClassifier, loadFeatureNetwork, CLASSIFIER_DIR, DEFAULT_CLASSIFIER_EPOCHS } from './feature-network';
export type { FeatureNetwork, FeatureNetworkOptions, ScoringDataset } from './feature-network';
export { prepareReference, scoreImages, SCORE_SEED } from './score-images';
export type { ScoreImagesInput, ScoreImagesResult, ScoreReference } from './score-images';
export { sampleGenerator } from './generate';
export { imagesFromUint8 } from './images';
export type { ImageSet } from './images';
export { datasetSplit } from './split';
