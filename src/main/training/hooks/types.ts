/**
 * Epoch hooks: the per-epoch (and between-step) work of a training run —
 * sample grids, checkpoints, scores, TensorBoard — as a list the loop calls
 * in order, as Keras calls callbacks. A hook is built once per trainer
 * session with what it needs (run folder, models, fixed noise) and is told
 * where training stands at each call.
 */
import type * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../../shared/config';
import type { EpochMetrics, StepMetrics } from '../../../shared/metrics';
import type { TrainerEvent } from '../../../shared/trainer-protocol';
import type { ScoringDataset } from '../../scores/feature-network';
import type { GanStep } from '../gan-step';

/** What every hook of one trainer session may use. */
export interface TrainingSession {
  runDir: string;
  config: TrainingConfig;
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  /** The step (its optimizers, and the objective's state such as the EMA generator). */
  gan: GanStep;
  /** The fixed latent vectors of the sample grids. */
  fixedNoise: Float32Array;
  /** The dataset trained on (cache folder, pixels, labels), for hooks that compare with it (scores). */
  dataset?: ScoringDataset;
  /** Emit a trainer event (awaited). */
  emit: (event: TrainerEvent) => void | Promise<void>;
  /** Failures of the compute device reported without an exception (a WebGPU device's); absent on CPU backends. */
  deviceHealth?: DeviceHealth;
}

/** A device that can fail asynchronously: `check` throws a TrainingError once it has. */
export interface DeviceHealth {
  check(): void;
}

/** The generator whose images the user sees: the EMA copy when that recipe is on (grids, scores, exports agree). */
export function shownGenerator(session: Pick<TrainingSession, 'gan' | 'generator'>): tf.LayersModel {
  return session.gan.ema?.model ?? session.generator;
}

/** Where training stands: everything a checkpoint records to continue the same schedule. */
export interface TrainingProgress {
  /** Global steps done. */
  step: number;
  /** Epochs fully done (their records and hooks included). */
  completedEpochs: number;
  /** Steps done in epoch completedEpochs + 1 (0 at an epoch boundary). */
  stepInEpoch: number;
}

/** After one step, before the next. */
export interface StepEnd extends TrainingProgress {
  metrics: StepMetrics;
}

/** After an epoch's last step and its epoch record (`completedEpochs` is that epoch). */
export interface EpochEnd extends TrainingProgress {
  metrics: EpochMetrics;
  /** True for config.epochs' epoch: the run completes after the hooks. */
  last: boolean;
}

/** Per-epoch work. Every method is optional and awaited; hooks run in list order. */
export interface EpochHook {
  /** Names the hook in errors. */
  readonly name: string;
  /** After each step (keep it cheap: most steps should return at once). */
  onStep?(at: StepEnd): Promise<void>;
  onEpochEnd?(at: EpochEnd): Promise<void>;
  /** A stop was requested between steps; the loop returns after every hook's onStop. */
  onStop?(at: TrainingProgress): Promise<void>;
}
