/**
 * The one-pass BatchNorm gradient on wasm against tfjs's own gradient,
 * written out op for op (FusedBatchNorm_grad's composite, on the same wasm
 * kernels): bit for bit, for every input the gradient reaches; against the
 * cpu backend within float32 rounding; the shapes it hands back to tfjs;
 * and no tensor left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { maxRelativeError, runOn, seededValues } from '../test-support';
import { BATCH_NORM_GRAD } from './batch-norm-gradient';

const t = (shape: number[], seed: number) => tf.tensor(seededValues(shape.reduce((a, b) => a * b, 1), seed), shape);
const EPSILON = 1e-3;

interface Inputs {
  x: tf.Tensor4D;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
  scale: tf.Tensor1D;
  offset: tf.Tensor1D;
  dy: tf.Tensor4D;
}

function inputs(shape: [number, number, number, number]): Inputs {
  const c = shape[3];
  return {
    x: t(shape, 1) as tf.Tensor4D,
    mean: t([c], 2) as tf.Tensor1D,
    variance: t([c], 3).abs().add(0.1) as tf.Tensor1D,
    scale: t([c], 4) as tf.Tensor1D,
    offset: t([c], 5) as tf.Tensor1D,
    dy: t(shape, 6) as tf.Tensor4D,
  };
}

/** The gradients [dx, dMean, dVariance, dScale, dOffset] through the registered gradient. */
function viaGradient({ x, mean, variance, scale, offset, dy }: Inputs): tf.Tensor[] {
  const f = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
    tf.batchNorm(a as tf.Tensor4D, m as tf.Tensor1D, v as tf.Tensor1D, o as tf.Tensor1D, s as tf.Tensor1D, EPSILON).mul(dy).sum();
  return tf.grads(f)([x, mean, variance, scale, offset]);
}

/** tfjs's FusedBatchNorm gradient (tfjs-core 4.22, gradients/FusedBatchNorm_grad.ts), op for op. */
function tfjsComposite({ x, mean, variance, scale, dy }: Inputs): tf.Tensor[] {
  const axes = [0, 1, 2];
  const c = mean.shape[0];
  const xMinusMean = tf.sub(x, mean);
  const dyTimesScale = tf.mul(dy, scale);
  const r = tf.rsqrt(tf.add(variance, tf.scalar(EPSILON)));
  const minusHalfRCube = tf.mul(tf.mul(tf.mul(r, r), r), tf.scalar(-0.5));
  const tiled = tf.tile(tf.reshape(r, [1, 1, 1, c]), [...x.shape.slice(0, 3), 1]);
  return [
    tf.mul(tf.mul(dy, tiled), scale),
    tf.sum(tf.mul(tf.mul(r, tf.scalar(-1)), dyTimesScale), axes),
    tf.sum(tf.mul(tf.mul(minusHalfRCube, xMinusMean), dyTimesScale), axes),
    tf.sum(tf.mul(dy, tf.mul(xMinusMean, r)), axes),
    tf.sum(dy, axes),
  ];
}

const kernelNames = async (f: () => tf.Tensor[]): Promise<string[]> => (await tf.profile(() => f())).kernels.map((k) => k.name);

describe('one-pass BatchNorm gradient on wasm', () => {
  let worst = 0;
  afterAll(() => console.log(`BatchNorm gradient: max relative error vs cpu ${worst.toExponential(2)}`));

  // A conv layer's activations, a dense layer's (tf.batchNorm makes [64, 3136] a [64, 1, 1, 3136]), 4 channels.
  const shapes: [number, number, number, number][] = [
    [4, 5, 6, 8],
    [64, 1, 1, 3136],
    [3, 7, 7, 4],
  ];

  it.each(shapes)('equals tfjs\'s gradient bit for bit: [%i, %i, %i, %i]', async (...shape) => {
    const ours = await runOn('wasm', () => viaGradient(inputs(shape)));
    const composite = await runOn('wasm', () => tfjsComposite(inputs(shape)));
    const reference = await runOn('cpu', () => viaGradient(inputs(shape)));
    ['dx', 'dMean', 'dVariance', 'dScale', 'dOffset'].forEach((name, i) => {
      expect(Array.from(ours[i]!), name).toEqual(Array.from(composite[i]!));
      worst = Math.max(worst, maxRelativeError(ours[i]!, reference[i]!));
      expect(maxRelativeError(ours[i]!, reference[i]!), name).toBeLessThanOrEqual(1e-5);
    });
  });

  it('runs one kernel instead of tfjs\'s composite, and leaves no tensor behind', async () => {
    await runOn('wasm', () => []);
    const data = inputs([4, 5, 6, 8]);
    const names = await kernelNames(() => viaGradient(data));
    expect(names).toContain(BATCH_NORM_GRAD);
    // The loss's own Sum only: tfjs's gradient adds four.
    expect(names.filter((n) => n === 'Sum')).toHaveLength(1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.dispose(viaGradient(data));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(data));
  });

  it('hands back to tfjs channels that are not a multiple of 4', async () => {
    await runOn('wasm', () => []);
    const odd = inputs([2, 3, 3, 6]);
    expect(await kernelNames(() => viaGradient(odd))).not.toContain(BATCH_NORM_GRAD);
    tf.dispose(Object.values(odd));
  });

  it('gives gradients of gradients (the inner one recorded by the outer tape is tfjs\'s)', async () => {
    const second = () => {
      const data = inputs([2, 3, 3, 8]);
      const inner = (x: tf.Tensor) => tf.grad((a: tf.Tensor) => tf.batchNorm(a as tf.Tensor4D, data.mean, data.variance, data.offset, data.scale, EPSILON).square().sum())(x);
      return [tf.grad((x: tf.Tensor) => inner(x).square().sum())(data.x)];
    };
    const [ours] = await runOn('wasm', second);
    const [reference] = await runOn('cpu', second);
    expect(maxRelativeError(ours!, reference!)).toBeLessThanOrEqual(1e-5);
  });
});
