/**
 * The training loop: epochs of shuffled full batches through the GAN step,
 * with every step appended to metrics.jsonl and per-epoch means to
 * epochs.jsonl. Everything else — sample grids, checkpoints, scores — is an
 * epoch hook (hooks/): the loop calls each hook's onStep after every step,
 * onEpochEnd after every epoch and onStop when a stop is requested, in list
 * order, and awaits them.
 *
 * Resume: a checkpoint records global step, completed epochs and steps done
 * in the current epoch. Because shuffles and noise are derived from
 * (seed, epoch) and (seed, step) (see rng.ts), the loop restarts mid-epoch at
 * the exact batch an uninterrupted run would train next. The batches come
 * from the dataset cache by offset reads (batch-source.ts); a step's time
 * includes any wait for its batch.
 */
import type * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import type { TrainingConfig } from '../../shared/config';
import type { EpochMetrics, StepMetrics } from '../../shared/metrics';
import type { TrainerEvent } from '../../shared/trainer-protocol';
import { JsonlAppender, RUN_FILES, updateRunRecord } from '../runs';
import { noiseBatch, realBatch, stepsPerEpoch } from './batches';
import type { BatchSource } from './batch-source';
import type { TrainingControl } from './control';
import { TrainingError } from './errors';
import type { ScoringDataset } from '../scores/feature-network';
import type { GanStep } from './gan-step';
import { createEpochHooks, type DeviceHealth, type EpochHook, type TrainingProgress } from './hooks';

export interface LoopInput {
  runDir: string;
  config: TrainingConfig;
  /** The real batches, read ahead from the dataset cache, and their images' shape [height, width, channels]. */
  batches: BatchSource;
  shape: [number, number, number];
  /** Images in the dataset. */
  count: number;
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  gan: GanStep;
  fixedNoise: Float32Array;
  /** Where to continue from (all zero for a new run). */
  start: TrainingProgress;
  /** Step records already on disk for the epoch being resumed (for its means). */
  carriedSteps: StepMetrics[];
  control: TrainingControl;
  /** Receives every event; the caller coalesces step events. Awaited except for steps. */
  emit: (event: TrainerEvent) => void | Promise<void>;
  /** The dataset (cache folder, labels) for the score hook; without it no scores are computed. */
  dataset?: ScoringDataset;
  /** A GPU's asynchronous failures (webgpu); checked after every step and before each checkpoint. */
  deviceHealth?: DeviceHealth;
  /** Per-epoch work; default createEpochHooks (sample grids, scores, then checkpoints). */
  hooks?: EpochHook[];
}

export interface LoopResult {
  reason: 'completed' | 'stopped';
  /** Completed epochs and global steps at the end. */
  epoch: number;
  step: number;
}

/** Train until config.epochs are done or a stop is requested. NaN/Inf losses throw TrainingError('nan'). */
export async function trainLoop(input: LoopInput): Promise<LoopResult> {
  const { config, control, emit, runDir } = input;
  const hooks = input.hooks ?? createEpochHooks(input, input.start);
  const perEpoch = stepsPerEpoch(input.count, config.batchSize);
  const metricsFile = new JsonlAppender(join(runDir, RUN_FILES.metrics));
  const epochsFile = new JsonlAppender(join(runDir, RUN_FILES.epochs));
  let { step, completedEpochs, stepInEpoch } = input.start;
  const onPause = () => emit({ type: 'paused' });
  const onResume = () => emit({ type: 'resumed' });

  try {
    for (let epoch = completedEpochs + 1; epoch <= config.epochs; epoch += 1) {
      const means = new EpochMeans(stepInEpoch > 0 ? input.carriedSteps : []);
      while (stepInEpoch < perEpoch) {
        if (await control.shouldStop(onPause, onResume)) {
          for (const hook of hooks) await hook.onStop?.({ step, completedEpochs, stepInEpoch });
          return { reason: 'stopped', epoch: completedEpochs, step };
        }
        const metrics = await trainStep(input, stepInEpoch, step + 1, epoch);
        step += 1;
        stepInEpoch += 1;
        metricsFile.append(metrics);
        void emit({ type: 'steps', steps: [metrics] });
        means.add(metrics);
        for (const hook of hooks) await hook.onStep?.({ step, completedEpochs, stepInEpoch, metrics });
      }
      const epochMetrics = means.finish(epoch, step, config.batchSize);
      epochsFile.append(epochMetrics);
      completedEpochs = epoch;
      stepInEpoch = 0;
      await emit({ type: 'epoch', metrics: epochMetrics });
      await updateRunRecord(runDir, { epoch, step });
      const last = epoch === config.epochs;
      for (const hook of hooks) await hook.onEpochEnd?.({ step, completedEpochs, stepInEpoch, metrics: epochMetrics, last });
    }
    return { reason: 'completed', epoch: completedEpochs, step };
  } finally {
    metricsFile.close();
    epochsFile.close();
  }
}

/** One GAN step on batch `batchIndex` of the epoch; `step` is the 1-based global step it becomes. */
async function trainStep(input: LoopInput, batchIndex: number, step: number, epoch: number): Promise<StepMetrics> {
  const { config } = input;
  const started = performance.now();
  const real = realBatch(await input.batches.take(epoch, batchIndex), config.batchSize, input.shape);
  const noise = noiseBatch(config.seed, step, config.batchSize, config.latentDim);
  let result;
  try {
    result = await input.gan.step(real, noise, step);
  } finally {
    real.dispose();
    noise.dispose();
  }
  if (!Number.isFinite(result.gen_loss) || !Number.isFinite(result.disc_loss)) {
    throw new TrainingError(
      'nan',
      `Training diverged at step ${step} (epoch ${epoch}): gen_loss = ${result.gen_loss}, disc_loss = ${result.disc_loss}. ` +
        'Lower the learning rates or resume from an earlier checkpoint; nothing after the last checkpoint was kept.',
    );
  }
  return { step, epoch, ...result, ms: performance.now() - started };
}

/** Running sums for one epoch's means; the epoch's time is the sum of its step times (pauses excluded). */
class EpochMeans {
  private sums = { gen_loss: 0, disc_loss: 0, real_accuracy: 0, fake_accuracy: 0, ms: 0 };
  private count = 0;

  constructor(carried: StepMetrics[]) {
    carried.forEach((metrics) => this.add(metrics));
  }

  add(metrics: StepMetrics): void {
    for (const key of Object.keys(this.sums) as (keyof typeof this.sums)[]) this.sums[key] += metrics[key];
    this.count += 1;
  }

  finish(epoch: number, step: number, batchSize: number): EpochMetrics {
    const n = Math.max(this.count, 1);
    const seconds = this.sums.ms / 1000;
    return {
      epoch,
      step,
      gen_loss: this.sums.gen_loss / n,
      disc_loss: this.sums.disc_loss / n,
      real_accuracy: this.sums.real_accuracy / n,
      fake_accuracy: this.sums.fake_accuracy / n,
      images_per_second: seconds > 0 ? (this.count * batchSize) / seconds : 0,
      seconds,
    };
  }
}
