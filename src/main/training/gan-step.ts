/**
 * The GAN train step of the TensorFlow DCGAN tutorial: one noise batch feeds
 * both updates, both losses are binary cross-entropy on logits, and each
 * network has its own Adam. As in the tutorial, both gradients are taken
 * against the same (pre-update) weights and then applied together, and the
 * generator runs once per step: its output feeds the discriminator phase.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../shared/config';
import { Rng, withMathRandom } from './rng';

/** One step's results as plain numbers (names as the course uses them). */
export interface GanStepResult {
  gen_loss: number;
  disc_loss: number;
  /** mean(sigmoid(D(real)) >= 0.5) */
  real_accuracy: number;
  /** mean(sigmoid(D(G(z))) < 0.5) */
  fake_accuracy: number;
}

export interface GanStep {
  /**
   * Train both networks on one batch of real images in [-1, 1] and one noise
   * batch. `step` is the 1-based global step: it seeds the step's own random
   * streams (dropout masks), so a resumed run draws what an uninterrupted one
   * would. The numbers are read back asynchronously, once per step, so a
   * backend without synchronous readback (WebGPU) works.
   */
  step(real: tf.Tensor4D, noise: tf.Tensor2D, step: number): Promise<GanStepResult>;
  readonly generatorOptimizer: tf.AdamOptimizer;
  readonly discriminatorOptimizer: tf.AdamOptimizer;
  /** Free both optimizers' state (the models belong to the caller). */
  dispose(): void;
}

// Adam's signature says NamedVariableMap, but it only reads the gradient tensors.
type GradientMap = Parameters<tf.AdamOptimizer['applyGradients']>[0];

type LrConfig = Pick<
  TrainingConfig,
  'generatorLearningRate' | 'generatorBeta1' | 'discriminatorLearningRate' | 'discriminatorBeta1' | 'seed'
>;

/** Build the step for a generator ([n, latent] → images) and a discriminator (images → [n, 1] logits). */
export function createGanStep(options: {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  config: LrConfig;
}): GanStep {
  const { generator, discriminator, config } = options;
  const generatorOptimizer = tf.train.adam(config.generatorLearningRate, config.generatorBeta1);
  const discriminatorOptimizer = tf.train.adam(config.discriminatorLearningRate, config.discriminatorBeta1);
  const generatorVars = trainableVariables(generator);
  const discriminatorVars = trainableVariables(discriminator);
  const bce = (labels: tf.Tensor, logits: tf.Tensor) => tf.losses.sigmoidCrossEntropy(labels, logits);

  /** The whole step's maths, synchronous: returns [gen_loss, disc_loss, real_accuracy, fake_accuracy]. */
  function compute(real: tf.Tensor4D, noise: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      let fake: tf.Tensor | undefined;
      let accuracies: tf.Tensor | undefined;
      // Generator phase: push D(G(z)) toward 1, i.e. fool the discriminator.
      const gen = tf.variableGrads(() => {
        // G runs once per step (as in the tutorial), so BatchNorm's moving statistics move once.
        const images = generator.apply(noise, { training: true }) as tf.Tensor;
        fake = tf.keep(images); // outlives this gradient scope: the discriminator phase reads it
        const fakeLogits = discriminator.apply(images, { training: true }) as tf.Tensor;
        return bce(tf.onesLike(fakeLogits), fakeLogits) as tf.Scalar;
      }, generatorVars);
      // Discriminator phase: push D(real) toward 1 and D(G(z)) toward 0, the same fakes as constants.
      const disc = tf.variableGrads(() => {
        const realLogits = discriminator.apply(real, { training: true }) as tf.Tensor;
        const fakeLogits = discriminator.apply(fake!, { training: true }) as tf.Tensor;
        // sigmoid(x) >= 0.5 exactly when the logit x >= 0.
        accuracies = tf.keep(tf.stack([realLogits.greaterEqual(0).toFloat().mean(), fakeLogits.less(0).toFloat().mean()]));
        return bce(tf.onesLike(realLogits), realLogits).add(bce(tf.zerosLike(fakeLogits), fakeLogits)) as tf.Scalar;
      }, discriminatorVars);
      fake!.dispose();
      // Both gradients were taken against the pre-update weights; apply them together.
      discriminatorOptimizer.applyGradients(disc.grads as GradientMap);
      generatorOptimizer.applyGradients(gen.grads as GradientMap);
      // One tensor, so one readback per step.
      const numbers = tf.concat([tf.stack([gen.value, disc.value]), accuracies!]) as tf.Tensor1D;
      accuracies!.dispose();
      return numbers;
    });
  }

  async function step(real: tf.Tensor4D, noise: tf.Tensor2D, stepNumber: number): Promise<GanStepResult> {
    expectBatch(real, noise);
    // Dropout masks come from Math.random inside tf.js: give them this step's own stream (compute is synchronous).
    const numbers = withMathRandom(Rng.stream(config.seed, 'tfOps', stepNumber), () => compute(real, noise));
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
    dispose() {
      generatorOptimizer.dispose();
      discriminatorOptimizer.dispose();
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
