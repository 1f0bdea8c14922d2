/**
 * Quality scores every config.scoreEvery epochs (and after the last epoch):
 * G (its EMA copy when the run keeps one) draws config.scoreSampleSize images
 * from a fixed latent stream, they are
 * scored against the run's dataset (src/main/scores), and one ScoresRecord
 * is appended to scores.jsonl and emitted as a `scores` event. The feature
 * network and the real reference sample are prepared on first use and kept
 * for the session; a dataset's classifier is trained once and cached with
 * the dataset (classifier-progress events meanwhile). `seconds` is the
 * scoring's own wall time, classifier training excluded.
 */
import { join } from 'node:path';
import { DEFAULT_SCORE_SAMPLE_SIZE, type TrainingConfig } from '../../../shared/config';
import type { ScoresRecord } from '../../../shared/scores';
import { JsonlAppender, RUN_FILES } from '../../runs';
import type { FeatureNetwork } from '../../scores/feature-network';
import { loadFeatureNetwork } from '../../scores/feature-network';
import { sampleGenerator } from '../../scores/generate';
import type { ScoreReference } from '../../scores/score-images';
import { prepareReference, scoreImages } from '../../scores/score-images';
import { MIN_SCORED_IMAGES } from '../../scores/split';
import { shownGenerator, type EpochHook, type TrainingSession } from './types';

/**
 * Why a run with scores on is not scored: its dataset is too small to split into real reference
 * and held-out images (a run on a handful of images should train, not fail at its first score).
 */
export function scoresOffNote(config: TrainingConfig, datasetCount: number): string | undefined {
  if ((config.scoreEvery ?? 0) <= 0 || datasetCount >= MIN_SCORED_IMAGES) return undefined;
  return `quality scores are off: the dataset has ${datasetCount} image${datasetCount === 1 ? '' : 's'}, fewer than the ${MIN_SCORED_IMAGES} they need`;
}

/** The score hook, or undefined when scores are off, the session has no dataset to score against or too few images. */
export function scoreHook(session: TrainingSession): EpochHook | undefined {
  const { config, runDir, dataset } = session;
  const every = config.scoreEvery ?? 0;
  if (every <= 0 || !dataset || scoresOffNote(config, dataset.manifest.count)) return undefined;
  const sampleSize = config.scoreSampleSize ?? DEFAULT_SCORE_SAMPLE_SIZE;
  let prepared: { network: FeatureNetwork; reference: ScoreReference } | undefined;
  const prepare = async () => {
    const network = await loadFeatureNetwork(dataset, { onProgress: (done, total) => void session.emit({ type: 'classifier-progress', done, total }) });
    return { network, reference: await prepareReference(dataset, network, sampleSize) };
  };
  return {
    name: 'scores',
    async onEpochEnd({ completedEpochs, step, last }) {
      if (completedEpochs % every !== 0 && !last) return;
      prepared ??= await prepare();
      const started = performance.now();
      // The EMA copy when the run keeps one: the same generator the sample grids show.
      const generator = shownGenerator(session);
      const generated = await sampleGenerator(generator, config.latentDim, sampleSize);
      const result = await scoreImages({ generated, dataset, network: prepared.network, sampleSize, reference: prepared.reference });
      const record: ScoresRecord = {
        epoch: completedEpochs,
        step,
        seconds: (performance.now() - started) / 1000,
        sampleSize: result.sampleSize,
        generator: generator === session.generator ? 'generator' : 'ema',
        feature: result.feature,
        scores: result.scores,
      };
      const file = new JsonlAppender(join(runDir, RUN_FILES.scores));
      try {
        file.append(record);
      } finally {
        file.close();
      }
      await session.emit({ type: 'scores', record });
    },
  };
}
