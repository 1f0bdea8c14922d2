/**
 * The training objective, composed from the config's recipes: the
 * adversarial loss (with one-sided label smoothing), what the discriminator
 * sees (DiffAugment, then instance noise — the same transforms for real and
 * fake), the R1 penalty, spectral normalisation of D's kernels and the EMA
 * generator. gan-step.ts only wires these into its two phases. With no
 * recipe set (every seed preset) this is the DCGAN tutorial's step exactly.
 *
 * To add a loss: a module beside losses.ts' entries + its test + its name in
 * src/shared/recipes.ts. To add a regulariser or transform: one module, its
 * test, a field in src/shared/config.ts (and config-fields.ts), and a line here.
 */
import type * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../../shared/config';
import { Rng } from '../../common/rng';
import { drawAugmentation } from './diff-augment';
import { GeneratorEma } from './ema';
import { addInstanceNoise, instanceNoiseStd } from './instance-noise';
import { LOSSES, type AdversarialLoss } from './losses';
import { r1Penalty } from './r1';
import { SpectralNorm } from './spectral-norm';

export { GeneratorEma } from './ema';
export { SpectralNorm } from './spectral-norm';
export type { AdversarialLoss } from './losses';

export type ObjectiveConfig = Pick<
  TrainingConfig,
  'seed' | 'loss' | 'labelSmoothing' | 'instanceNoise' | 'diffAugment' | 'emaDecay' | 'spectralNorm' | 'r1Gamma'
>;

/** How one step's discriminator input is made from an image batch (a constant transform per step). */
export type DiscriminatorView = (x: tf.Tensor) => tf.Tensor;

export interface Objective {
  loss: AdversarialLoss;
  /** The real images' label: 1, or 1 − labelSmoothing. */
  realTarget: number;
  /** This step's views for real and fake batches of `shape` (drawn from the step's own streams). */
  views(step: number, shape: number[]): { real: DiscriminatorView; fake: DiscriminatorView };
  /** D's outputs on its real input, plus the R1 penalty when it is on. */
  realLogits(discriminate: (x: tf.Tensor) => tf.Tensor, realInput: tf.Tensor): { logits: tf.Tensor; penalty?: tf.Scalar };
  spectralNorm?: SpectralNorm;
  ema?: GeneratorEma;
}

/**
 * Build the objective for `config`. `totalSteps` (the run's length) sets the
 * instance-noise schedule and is required when instance noise is on;
 * `emaCopy` builds a second generator of the same architecture.
 */
export function createObjective(
  config: ObjectiveConfig,
  models: { generator: tf.LayersModel; discriminator: tf.LayersModel; emaCopy: () => tf.LayersModel },
  totalSteps: number | undefined,
): Objective {
  const loss = LOSSES[config.loss ?? 'bce'];
  const ops = config.diffAugment ?? [];
  const noise = config.instanceNoise ?? 0;
  // Without the run's length the schedule would be 0 from the start: instance noise silently off.
  if (noise > 0 && totalSteps === undefined) {
    throw new Error(`Instance noise: expected the run's length in steps (totalSteps) to anneal ${noise} to 0 over, got none.`);
  }
  const gamma = config.r1Gamma ?? 0;
  const draw = (step: number, shape: number[]) => {
    const [n, h, w] = shape as [number, number, number];
    const augment = Rng.stream(config.seed, 'augment', step);
    const noiseRng = Rng.stream(config.seed, 'instanceNoise', step);
    const std = noise > 0 ? instanceNoiseStd(noise, step, totalSteps!) : 0;
    // Real first, then fake: each batch gets its own draws.
    return [0, 1].map((): DiscriminatorView => {
      const augmentation = ops.length > 0 ? drawAugmentation(ops, n, h, w, augment) : undefined;
      const noiseSeed = noiseRng.next() * 2 ** 32;
      return (x) => {
        const seen = augmentation ? augmentation(x as tf.Tensor4D) : x;
        return std > 0 ? addInstanceNoise(seen, std, new Rng(noiseSeed)) : seen;
      };
    });
  };
  return {
    loss,
    realTarget: 1 - (config.labelSmoothing ?? 0),
    views(step, shape) {
      const [real, fake] = draw(step, shape);
      return { real: real!, fake: fake! };
    },
    realLogits(discriminate, realInput) {
      return gamma > 0 ? r1Penalty(discriminate, realInput, gamma) : { logits: discriminate(realInput) };
    },
    spectralNorm: config.spectralNorm ? new SpectralNorm(models.discriminator, Rng.stream(config.seed, 'spectralNorm')) : undefined,
    ema: config.emaDecay ? new GeneratorEma(models.generator, models.emaCopy(), config.emaDecay) : undefined,
  };
}
