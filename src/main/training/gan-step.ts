/**
 * The GAN train step. Without recipes it is the TensorFlow DCGAN tutorial's:
 * one noise batch feeds both updates, both losses are binary cross-entropy on
 * logits, and each network has its own Adam (separate learning rates: TTUR).
 * As in the tutorial, both gradients are taken against the same (pre-update)
 * weights and then applied together, and the generator runs once per step:
 * its output feeds the discriminator phase. The recipes (loss, label
 * smoothing, DiffAugment, instance noise, R1, spectral norm, EMA) come from
 * objective/; this file only wires them into the two phases.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../shared/config';
import { buildGenerator } from './models';
import { createObjective, type GeneratorEma, type ObjectiveConfig, type SpectralNorm } from './objective';
import { Rng, withMathRandom } from '../common/rng';

/** One step's results as plain numbers (names as the course uses them). */
export interface GanStepResult {
  gen_loss: number;
  disc_loss: number;
  /** mean(D(real) >= threshold): sigmoid(D(real)) >= 0.5 for bce */
  real_accuracy: number;
  /** mean(D(G(z)) < threshold): sigmoid(D(G(z))) < 0.5 for bce */
  fake_accuracy: number;
}

export interface GanStep {
  /**
   * Train both networks on one batch of real images in [-1, 1] and one noise
   * batch. `step` is the 1-based global step: it seeds the step's own random
   * streams (dropout masks, augmentation, instance noise), so a resumed run
   * draws what an uninterrupted one would. The numbers are read back
   * asynchronously, once per step, so a backend without synchronous readback
   * (WebGPU) works.
   */
  step(real: tf.Tensor4D, noise: tf.Tensor2D, step: number): Promise<GanStepResult>;
  readonly generatorOptimizer: tf.AdamOptimizer;
  readonly discriminatorOptimizer: tf.AdamOptimizer;
  /** The EMA copy of the generator, when config.emaDecay is set (checkpointed as generator-ema/). */
  readonly ema?: GeneratorEma;
  /** Spectral normalisation of D, when config.spectralNorm is set (its u vectors are checkpointed). */
  readonly spectralNorm?: SpectralNorm;
  /** Free the optimizers' and the objective's state (the models belong to the caller). */
  dispose(): void;
}

// Adam's signature says NamedVariableMap, but it only reads the gradient tensors.
type GradientMap = Parameters<tf.AdamOptimizer['applyGradients']>[0];

type StepConfig = Pick<
  TrainingConfig,
  'generatorLearningRate' | 'generatorBeta1' | 'discriminatorLearningRate' | 'discriminatorBeta1'
> &
  ObjectiveConfig;

/**
 * Build the step for a generator ([n, latent] → images) and a discriminator
 * (images → [n, 1] logits). `totalSteps` (the run's length) sets the
 * instance-noise schedule and is required with instance noise on; `emaCopy`
 * builds the EMA generator (default: a second build of the config's
 * generator — give it when `config` is partial).
 */
export function createGanStep(options: {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  config: StepConfig;
  totalSteps?: number;
  emaCopy?: () => tf.LayersModel;
}): GanStep {
  const { generator, discriminator, config } = options;
  const generatorOptimizer = tf.train.adam(config.generatorLearningRate, config.generatorBeta1);
  const discriminatorOptimizer = tf.train.adam(config.discriminatorLearningRate, config.discriminatorBeta1);
  const generatorVars = trainableVariables(generator);
  const discriminatorVars = trainableVariables(discriminator);
  const emaCopy = options.emaCopy ?? (() => buildGenerator(config as TrainingConfig));
  const objective = createObjective(config, { generator, discriminator, emaCopy }, options.totalSteps);
  const { loss, realTarget, spectralNorm, ema } = objective;
  const discriminate = (x: tf.Tensor) => discriminator.apply(x, { training: true }) as tf.Tensor;

  /** The whole step's maths, synchronous: returns [gen_loss, disc_loss, real_accuracy, fake_accuracy]. */
  function compute(real: tf.Tensor4D, noise: tf.Tensor2D, stepNumber: number): tf.Tensor1D {
    spectralNorm?.powerIteration();
    const phases = () =>
      tf.tidy(() => {
        const view = objective.views(stepNumber, real.shape);
        let fake: tf.Tensor | undefined;
        let accuracies: tf.Tensor | undefined;
        try {
          // Generator phase: make D call G(z) real.
          const gen = tf.variableGrads(() => {
            // G runs once per step (as in the tutorial), so BatchNorm's moving statistics move once.
            const images = generator.apply(noise, { training: true }) as tf.Tensor;
            fake = tf.keep(images); // outlives this gradient scope: the discriminator phase reads it
            return loss.generator(discriminate(view.fake(images)));
          }, generatorVars);
          // Discriminator phase: real toward realTarget, the same fakes (now constants) toward fake.
          const disc = tf.variableGrads(() => {
            const { logits: realLogits, penalty } = objective.realLogits(discriminate, view.real(real));
            const fakeLogits = discriminate(view.fake(fake!));
            accuracies = tf.keep(
              tf.stack([realLogits.greaterEqual(loss.threshold).toFloat().mean(), fakeLogits.less(loss.threshold).toFloat().mean()]),
            );
            const adversarial = loss.discriminator(realLogits, fakeLogits, realTarget);
            return penalty ? (adversarial.add(penalty) as tf.Scalar) : adversarial;
          }, discriminatorVars);
          // Both gradients were taken against the pre-update weights; apply them together.
          discriminatorOptimizer.applyGradients(disc.grads as GradientMap);
          generatorOptimizer.applyGradients(gen.grads as GradientMap);
          ema?.update(stepNumber);
          // One tensor, so one readback per step.
          return tf.concat([tf.stack([gen.value, disc.value]), accuracies!]) as tf.Tensor1D;
        } finally {
          tf.dispose([fake!, accuracies!].filter((t) => t !== undefined));
        }
      });
    return spectralNorm ? spectralNorm.within(phases) : phases();
  }

  async function step(real: tf.Tensor4D, noise: tf.Tensor2D, stepNumber: number): Promise<GanStepResult> {
    expectBatch(real, noise);
    // Dropout masks come from Math.random inside tf.js: give them this step's own stream (compute is synchronous).
    const numbers = withMathRandom(Rng.stream(config.seed, 'tfOps', stepNumber), () => compute(real, noise, stepNumber));
    try {
      const [gen_loss, disc_loss, real_accuracy, fake_accuracy] = await numbers.data();
      return { gen_loss: gen_loss!, disc_loss: disc_loss!, real_accuracy: real_accuracy!, fake_accuracy: fake_accuracy! };
    } finally {
      numbers.dispose();
    }
  }

  return {
    step,
    generatorOptimizer,
    discriminatorOptimizer,
    ema,
    spectralNorm,
    dispose() {
      generatorOptimizer.dispose();
      discriminatorOptimizer.dispose();
      spectralNorm?.dispose();
      ema?.model.dispose();
    },
  };
}

/** The model's trainable weights as the tf.Variables that variableGrads differentiates. */
function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((weight) => weight.read() as tf.Variable);
}

function expectBatch(real: tf.Tensor4D, noise: tf.Tensor2D): void {
  if (real.rank !== 4 || noise.rank !== 2 || real.shape[0] !== noise.shape[0]) {
    throw new Error(
      `GAN step: expected real [n, h, w, c] and noise [n, latent] with the same n, got [${real.shape}] and [${noise.shape}].`,
    );
  }
}
