/**
 * Test support for the recipe tests that run the real step (gan-step.ts with
 * the objective built from a config): a GAN small enough to work out by hand,
 * whose discriminator records every input it is given.
 *
 * - G(z) = z: one identity dense layer, so the fakes are the noise batch itself
 *   (exactly: a 0/1 matmul) until G's first update.
 * - D(x) = w · leakyReLU(x) + b behind a Probe layer, so ∇ₓD depends on x (R1
 *   differs between real and fake inputs), and every call of D in a step is
 *   seen as D saw it: the generator phase's fakes, then the discriminator
 *   phase's reals and fakes (`phases()`).
 *
 * A recipe that silently does not apply (an op dropped, a phase skipped)
 * shows up in what the probe saw, not only in a helper's output.
 */
import * as tf from '@tensorflow/tfjs';
import { resolveTrainingConfig, type TrainingConfig, type TrainingConfigInput } from '../../../shared/config';
import { createGanStep, type GanStep, type GanStepResult } from '../gan-step';
import { Rng, withMathRandom } from '../../common/rng';

/** A pass-through layer that keeps a copy of every batch it sees. */
export class Probe extends tf.layers.Layer {
  static readonly className = 'Probe';
  readonly seen: Float32Array[] = [];

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    // cpu reads back synchronously, also inside the step's gradient tapes.
    this.seen.push(Float32Array.from(x.dataSync()));
    return x.clone();
  }
}

/** Shape of the probe GAN's images: [batch, side, side, channels]. */
export type ImageShape = [number, number, number, number];

/** What D saw in one step, in the step's order. */
export interface PhaseInputs {
  /** The fakes D scored in the generator phase. */
  generatorFake: Float32Array;
  /** The real batch D scored in the discriminator phase. */
  real: Float32Array;
  /** The fakes D scored in the discriminator phase. */
  discriminatorFake: Float32Array;
}

export interface ProbeGan {
  config: TrainingConfig;
  gan: GanStep;
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  /** The real batch (no pixel is 0, so a zeroed one is a cutout). */
  real: Float32Array;
  /** The noise batch, which is also G's first fakes. */
  fake: Float32Array;
  /** D's dense kernel (one weight per pixel) before any step. */
  weights: Float32Array;
  /** The LeakyReLU slope of D. */
  alpha: number;
  /** Run the real step once on the batches at 1-based global step `stepNumber`. */
  step(stepNumber: number): Promise<GanStepResult>;
  /** D's three inputs of the last step (it must have called D exactly three times). */
  phases(): PhaseInputs;
  dispose(): void;
}

const ALPHA = 0.2;

/**
 * Build the probe GAN with `recipes` resolved into a real config (tiny preset,
 * seed 1) and the step's run length `totalSteps`. `discriminatorLayers`
 * replaces what follows the probe (default: leakyReLU, flatten, dense 1).
 */
export function probeGan(options: {
  recipes?: TrainingConfigInput;
  shape?: ImageShape;
  totalSteps?: number;
  discriminatorLayers?: tf.layers.Layer[];
}): ProbeGan {
  const [n, side, , channels] = options.shape ?? [6, 16, 16, 1];
  const pixels = side * side * channels;
  const config = resolveTrainingConfig({ preset: 'tiny', seed: 1, batchSize: n, ...options.recipes });
  const identityGenerator = () =>
    tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [pixels], units: pixels, kernelInitializer: 'identity', biasInitializer: 'zeros' }),
        tf.layers.reshape({ targetShape: [side, side, channels] }),
      ],
    });
  const rng = new Rng(20_240_601);
  const weights = Float32Array.from(rng.normals(pixels), (v) => 0.05 * v);
  const probe = new Probe({ inputShape: [side, side, channels] });
  const rest = options.discriminatorLayers ?? [
    tf.layers.leakyReLU({ alpha: ALPHA }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 1 }),
  ];
  // Layers the caller passes may draw their initial weights: from a fixed stream, so every run is the same.
  const discriminator = withMathRandom(new Rng(7), () => tf.sequential({ layers: [probe, ...rest] }));
  // D's dense layer: w (small, so the logits stay moderate) and b = 0.
  if (options.discriminatorLayers === undefined) tf.tidy(() => discriminator.layers.at(-1)!.setWeights([tf.tensor2d(weights, [pixels, 1]), tf.zeros([1])]));
  const generator = identityGenerator();
  const gan = createGanStep({ generator, discriminator, config, totalSteps: options.totalSteps ?? 1000, emaCopy: identityGenerator });
  // Real pixels in (0.1, 0.9) and fakes in (−0.9, −0.1): never 0, and D's slopes differ between them.
  const real = Float32Array.from({ length: n * pixels }, () => 0.1 + 0.8 * rng.next());
  const fake = Float32Array.from({ length: n * pixels }, () => -0.1 - 0.8 * rng.next());
  const realBatch = tf.tensor4d(real, [n, side, side, channels]);
  const noiseBatch = tf.tensor2d(fake, [n, pixels]);
  return {
    config,
    gan,
    generator,
    discriminator,
    real,
    fake,
    weights,
    alpha: ALPHA,
    step(stepNumber) {
      probe.seen.length = 0;
      return gan.step(realBatch, noiseBatch, stepNumber);
    },
    phases() {
      if (probe.seen.length !== 3) throw new Error(`expected D to be called 3 times in a step (G phase fake, D phase real, D phase fake), got ${probe.seen.length}`);
      const [generatorFake, realSeen, discriminatorFake] = probe.seen as [Float32Array, Float32Array, Float32Array];
      return { generatorFake, real: realSeen, discriminatorFake };
    },
    dispose() {
      gan.dispose();
      generator.dispose();
      discriminator.dispose();
      tf.dispose([realBatch, noiseBatch]);
    },
  };
}

/** D's logit for each image of `inputs` (what D saw), worked out in plain JS: Σ w · leakyReLU(x). */
export function logitsOf(gan: Pick<ProbeGan, 'weights' | 'alpha'>, inputs: Float32Array): number[] {
  const pixels = gan.weights.length;
  return Array.from({ length: inputs.length / pixels }, (_, image) => {
    let sum = 0;
    for (let j = 0; j < pixels; j += 1) {
      const x = inputs[image * pixels + j]!;
      sum += gan.weights[j]! * (x >= 0 ? x : gan.alpha * x);
    }
    return sum;
  });
}

/** The gradient each of `model`'s trainable weights got in the step just taken, from Adam's first moment after one update (m = (1 − β1)·g). */
export async function firstStepGradients(optimizer: tf.AdamOptimizer, model: tf.LayersModel, beta1: number): Promise<Float32Array[]> {
  const moments = await optimizer.getWeights();
  return model.trainableWeights.map((weight) => {
    const name = `${(weight.read() as tf.Variable).name}/m`;
    const moment = moments.find((entry) => entry.name === name);
    if (moment === undefined) throw new Error(`expected Adam's first moment "${name}", got ${moments.map((m) => m.name).join(', ')}`);
    return Float32Array.from(moment.tensor.dataSync(), (m) => m / (1 - beta1));
  });
}
