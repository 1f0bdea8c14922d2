/**
 * The scoring row of `npm run bench`: what per-epoch scores cost for
 * tf-tutorial on the built-in Fashion-MNIST (10,000 images) at the default
 * sample size, against one epoch of training at the preset's batch size on
 * the same backend. The classifier is trained first if the dataset cache
 * has none (a one-time cost, reported separately); the real reference is
 * prepared once per run and reported separately too.
 */
import { DEFAULT_SCORE_SAMPLE_SIZE, resolveTrainingConfig } from '../shared/config';
import { PRESETS } from '../shared/preset-catalog';
import { builtinDatasetSource, importDataset, openDataset } from '../main/data';
import { loadFeatureNetwork, prepareReference, sampleGenerator, scoreImages } from '../main/scores/index';
import { defaultDatasetsRoot } from '../main/studio-home';
import { stepsPerEpoch } from '../main/training/batches';
import { buildGenerator } from '../main/training/models/index';
import { measureStep } from './bench-measure';

export interface ScoringMeasurement {
  preset: 'tf-tutorial';
  sampleSize: number;
  /** One scoring as the hook does it every epoch (sample G, embed, all six scores), seconds. */
  scoringSeconds: number;
  /** Preparing the real reference (once per trainer session), seconds. */
  referenceSeconds: number;
  /** Classifier training, when this call had to do it (once per dataset), seconds. */
  classifierSeconds?: number;
  /** One training epoch on the 10,000-image sample at the preset's batch size, seconds. */
  epochSeconds: number;
  /** scoringSeconds / epochSeconds. */
  share: number;
  /**
   * The same ratio in this process's CPU time: on a machine shared with
   * other work, what an idle machine gives a single-threaded backend (cpu,
   * or wasm with GAN_STUDIO_WASM_THREADS=1; wall times then depend on the neighbours).
   */
  cpuShare: number;
}

/** Measures the scoring row on the active backend; `note` receives one-time work (classifier training). */
export async function measureScoring(note: (text: string) => void): Promise<ScoringMeasurement> {
  const preset = PRESETS['tf-tutorial'];
  const batchSize = preset.training.batchSize;
  const step = await measureStep({ preset: 'tf-tutorial', batchSize, warmupSteps: 1, timedSteps: 2 });
  const { dir } = await importDataset(builtinDatasetSource(), { size: preset.imageSize, channels: preset.channels }, { cacheRoot: defaultDatasetsRoot() });
  const dataset = await openDataset(dir);
  const steps = stepsPerEpoch(dataset.manifest.count, batchSize);
  const epochSeconds = (steps * step.stepMs) / 1000;
  const epochCpuSeconds = (steps * batchSize) / step.imagesPerCpuSecond;
  let classifierSeconds: number | undefined;
  const started = performance.now();
  let reported = false;
  const network = await loadFeatureNetwork(dataset, {
    onProgress: (done, total) => {
      if (!reported) note(`training the score classifier for the built-in sample (once; ${total} batches)`);
      reported = true;
      if (done === total) classifierSeconds = (performance.now() - started) / 1000;
    },
  });
  const generator = buildGenerator(resolveTrainingConfig({ preset: 'tf-tutorial', seed: 1 }));
  try {
    const sampleSize = DEFAULT_SCORE_SAMPLE_SIZE;
    const referenceStart = performance.now();
    const reference = await prepareReference(dataset, network, sampleSize);
    reference.descriptors();
    reference.radii();
    const referenceSeconds = (performance.now() - referenceStart) / 1000;
    const times: number[] = [];
    const cpuTimes: number[] = [];
    for (let i = 0; i < 2; i += 1) {
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      const generated = await sampleGenerator(generator, preset.latentDim, sampleSize);
      await scoreImages({ generated, dataset, network, sampleSize, reference });
      const cpu = process.cpuUsage(cpuStart);
      times.push((performance.now() - start) / 1000);
      cpuTimes.push((cpu.user + cpu.system) / 1e6);
    }
    const scoringSeconds = Math.min(...times);
    const share = scoringSeconds / epochSeconds;
    return { preset: 'tf-tutorial', sampleSize, scoringSeconds, referenceSeconds, classifierSeconds, epochSeconds, share, cpuShare: Math.min(...cpuTimes) / epochCpuSeconds };
  } finally {
    generator.dispose();
    network.dispose();
    await dataset.close();
  }
}

/** One table line: "scores tf-tutorial n=500: 3.1 s per scoring vs 41 s per epoch (7.6%)". */
export function formatScoringRow(backend: string, m: ScoringMeasurement): string {
  const once = [`reference ${m.referenceSeconds.toFixed(1)} s once per run`];
  if (m.classifierSeconds !== undefined) once.push(`classifier trained in ${m.classifierSeconds.toFixed(0)} s (once per dataset)`);
  return (
    `${backend.padEnd(14)}scores ${m.preset} n=${m.sampleSize}: ${m.scoringSeconds.toFixed(2)} s per scoring vs ` +
    `${m.epochSeconds.toFixed(1)} s per epoch (${(100 * m.share).toFixed(1)}%; ${(100 * m.cpuShare).toFixed(1)}% of CPU time); ${once.join('; ')}`
  );
}
