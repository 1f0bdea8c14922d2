/**
 * Turns a run's step and epoch records into chart series and live figures.
 * Pure functions over plain arrays: the live view keeps the arrays outside
 * Svelte's deep reactivity so 100k points cost nothing to append.
 */
import { etaSeconds as etaFromSteps } from '../../../shared/eta';
import type { EpochMetrics, StepMetrics } from '../../../shared/metrics';

export type Point = [number, number];

/**
 * A smoothing weight that keeps the curve readable at any length: about ten
 * points of memory for short runs, growing to n/300 so 100k steps still read
 * as a trend rather than a band of noise.
 */
export function smoothingWeight(length: number): number {
  const window = Math.max(10, length / 300);
  return 1 - 1 / window;
}

/**
 * Exponential moving average with bias correction (as TensorBoard smooths),
 * decaying per step rather than per point: a long run's downsampled history
 * (a few points per stretch of steps) smooths over the same window of steps
 * as the full-resolution steps after it.
 */
export function smooth(points: Point[], weight = smoothingWeight(stepSpan(points))): Point[] {
  const out: Point[] = new Array(points.length);
  let last = 0;
  let debias = 0;
  let previousX: number | undefined;
  for (let i = 0; i < points.length; i++) {
    const [x, y] = points[i]!;
    if (!Number.isFinite(y)) {
      out[i] = [x, y];
      continue;
    }
    const decay = previousX === undefined ? weight : weight ** Math.max(1, x - previousX);
    previousX = x;
    last = last * decay + (1 - decay) * y;
    debias = debias * decay + (1 - decay);
    out[i] = [x, last / debias];
  }
  return out;
}

/** Steps a series covers (its point count when every step is there). */
function stepSpan(points: Point[]): number {
  return points.length === 0 ? 0 : points.at(-1)![0] - points[0]![0] + 1;
}

/** [step, value] pairs of one step metric. */
export function stepSeries(steps: StepMetrics[], key: 'gen_loss' | 'disc_loss' | 'real_accuracy' | 'fake_accuracy'): Point[] {
  return steps.map((s) => [s.step, s[key]]);
}

/** Epoch means placed at each epoch's last step, so they line up with the step series. */
export function epochSeries(epochs: EpochMetrics[], key: 'gen_loss' | 'disc_loss' | 'real_accuracy' | 'fake_accuracy'): Point[] {
  return epochs.map((e) => [e.step, e[key]]);
}

/** Live figures for the stat tiles. */
export interface RunFigures {
  imagesPerSecond?: number;
  elapsedSeconds: number;
  etaSeconds?: number;
  stepsPerEpoch?: number;
}

/**
 * Throughput from the newest epoch (else from recent steps), elapsed as the
 * sum of training time, and ETA from the remaining steps at the recent steps' median pace.
 */
export function runFigures(
  steps: StepMetrics[],
  epochs: EpochMetrics[],
  options: {
    batchSize: number;
    totalEpochs: number;
    datasetCount?: number;
    /** Time of the steps after the last epoch when `steps` is a downsample (the server counts them all). */
    msSinceLastEpoch?: number;
    /** Time of every complete epoch in seconds when `epochs` is a downsample (the server counts them all). */
    epochSeconds?: number;
  },
): RunFigures {
  const lastEpoch = epochs.at(-1);
  const elapsedFromEpochs = options.epochSeconds ?? epochs.reduce((sum, e) => sum + e.seconds, 0);
  const afterEpochs = lastEpoch ? steps.filter((s) => s.step > lastEpoch.step) : steps;
  const msSinceLastEpoch = options.msSinceLastEpoch ?? afterEpochs.reduce((sum, s) => sum + s.ms, 0);
  const elapsedSeconds = elapsedFromEpochs + msSinceLastEpoch / 1000;

  const recent = steps.slice(-50);
  const recentMs = recent.length > 0 ? recent.reduce((sum, s) => sum + s.ms, 0) / recent.length : undefined;
  const imagesPerSecond =
    lastEpoch?.images_per_second ?? (recentMs ? (options.batchSize * 1000) / recentMs : undefined);

  const stepsPerEpoch = lastEpoch
    ? lastEpoch.step / lastEpoch.epoch
    : options.datasetCount
      ? Math.ceil(options.datasetCount / options.batchSize)
      : undefined;
  const lastStep = steps.at(-1)?.step ?? lastEpoch?.step ?? 0;
  // The median pace of the newest steps (shared/eta.ts): a warm-up step or a grid's wait does not swing it.
  const etaSeconds =
    stepsPerEpoch !== undefined ? etaFromSteps(recent.map((s) => s.ms), stepsPerEpoch * options.totalEpochs - lastStep) : undefined;
  return { imagesPerSecond, elapsedSeconds, etaSeconds, stepsPerEpoch };
}
