/**
 * R1 against finite differences, on cpu and on wasm (with the studio's
 * kernels): the penalty's value against ∇ₓD by central differences, and its
 * gradient with respect to D's weights (the second-order part training uses)
 * against central differences of the penalty. Then R1 in the real step, on
 * numbers worked out by hand.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../backend';
import { Rng } from '../../common/rng';
import { firstStepGradients, probeGan } from './probe-gan';
import { r1Penalty } from './r1';

function discriminator(): tf.Sequential {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: init(1) }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: init(2) }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 1, kernelInitializer: init(3) }),
    ],
  });
}

describe.each(['cpu', 'wasm'] as const)('R1 on %s', (backend) => {
  it('equals (γ/2)·mean‖∇ₓD‖² with ∇ₓD by finite differences, and its weight gradient matches too', async () => {
    await selectBackend({ forced: backend });
    const d = discriminator();
    const discriminate = (x: tf.Tensor) => d.apply(x) as tf.Tensor;
    const gamma = 10;
    const values = new Rng(4).normals(2 * 36);
    const x = tf.tensor4d(values, [2, 6, 6, 1]);
    const penaltyOf = () => tf.tidy(() => r1Penalty(discriminate, x, gamma).penalty.dataSync()[0]!);

    // ∇ₓD per image by central differences (a step small enough not to cross LeakyReLU kinks).
    const h = 1e-3;
    let squaredNorms = 0;
    for (let i = 0; i < values.length; i += 1) {
      const at = (delta: number) => {
        const bumped = Float32Array.from(values);
        bumped[i]! += delta;
        return tf.tidy(() => discriminate(tf.tensor4d(bumped, [2, 6, 6, 1])).dataSync()[Math.floor(i / 36)]!);
      };
      squaredNorms += ((at(h) - at(-h)) / (2 * h)) ** 2;
    }
    expect(penaltyOf()).toBeCloseTo((gamma / 2) * (squaredNorms / 2), 2);

    // d(penalty)/d(first conv kernel[0]) by central differences of the penalty.
    const kernel = d.trainableWeights[0]!.read() as tf.Variable;
    const { grads } = tf.variableGrads(() => r1Penalty(discriminate, x, gamma).penalty, [kernel]);
    const analytic = grads[kernel.name]!.dataSync()[0]!;
    const original = kernel.dataSync().slice();
    const withFirst = (delta: number) => {
      const bumped = original.slice();
      bumped[0]! += delta;
      kernel.assign(tf.tensor(bumped, kernel.shape));
      return penaltyOf();
    };
    const numeric = (withFirst(h) - withFirst(-h)) / (2 * h);
    kernel.assign(tf.tensor(original, kernel.shape));
    expect(Math.abs(analytic - numeric)).toBeLessThan(0.02 * Math.max(1, Math.abs(numeric)));
    tf.dispose([x, ...Object.values(grads)]);
    d.dispose();
  });
});

/**
 * The probe GAN's D(x) = w · leakyReLU(x) + b has ∇ₓD = w ⊙ slope(x): 1 on
 * the real pixels D sees (all > 0), α on the fakes (all < 0), so a penalty
 * on the wrong batch is 1/α² = 25 times off. One step with R1 against one
 * without, from the same weights and batches: D's loss grows by
 * (γ/2)·mean‖∇ₓD(real)‖², D's gradient (read from Adam's first moment) by the
 * penalty's own — second-order — weight gradient, and G's phase is untouched.
 */
describe('R1 in the step (cpu)', () => {
  it('adds (γ/2)·mean‖∇ₓD‖² on the reals to D’s loss and its weight gradient to D’s update, and nothing to G’s', async () => {
    await selectBackend({ forced: 'cpu' });
    const gamma = 4;
    const stepWith = async (r1Gamma: number) => {
      const gan = probeGan({ recipes: { r1Gamma }, shape: [4, 8, 8, 1] });
      const result = await gan.step(1);
      const { real } = gan.phases();
      const discriminator = await firstStepGradients(gan.gan.discriminatorOptimizer, gan.discriminator, gan.config.discriminatorBeta1);
      const generator = await firstStepGradients(gan.gan.generatorOptimizer, gan.generator, gan.config.generatorBeta1);
      gan.dispose();
      return { result, real, discriminator, generator, w: gan.weights, alpha: gan.alpha };
    };
    const plain = await stepWith(0);
    const penalised = await stepWith(gamma);
    const { w, alpha, real } = penalised;
    const images = real.length / w.length;
    // mean over images of slope(x)² per pixel, and of ‖w ⊙ slope(x)‖².
    const slopeSquared = Array.from(w, (_, j) => {
      let sum = 0;
      for (let i = 0; i < images; i += 1) sum += (real[i * w.length + j]! >= 0 ? 1 : alpha) ** 2;
      return sum / images;
    });
    const penalty = (gamma / 2) * slopeSquared.reduce((sum, s, j) => sum + w[j]! ** 2 * s, 0);
    expect(penalty).toBeGreaterThan(0.05);
    expect(penalised.result.disc_loss - plain.result.disc_loss).toBeCloseTo(penalty, 5);
    // ∂/∂w_j of (γ/2)·mean Σ w_j² slope² = γ·w_j·mean slope²; the bias gets nothing from it.
    const [kernel, bias] = penalised.discriminator;
    kernel!.forEach((g, j) => expect(g - plain.discriminator[0]![j]!).toBeCloseTo(gamma * w[j]! * slopeSquared[j]!, 5));
    expect(bias![0]).toBeCloseTo(plain.discriminator[1]![0]!, 6);
    // The discriminator phase only: G's loss and gradient are those of the step without R1.
    expect(penalised.result.gen_loss).toBe(plain.result.gen_loss);
    penalised.generator.forEach((g, k) => expect(g).toEqual(plain.generator[k]));
  });
});
