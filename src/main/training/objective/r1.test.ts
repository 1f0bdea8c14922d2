/**
 * R1 against finite differences, on cpu and on wasm (with the studio's
 * kernels): the penalty's value against ∇ₓD by central differences, and its
 * gradient with respect to D's weights (the second-order part training uses)
 * against central differences of the penalty.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { Rng } from '../rng';
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
