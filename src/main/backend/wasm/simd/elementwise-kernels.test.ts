/**
 * The studio's one-pass wasm kernels against tfjs's cpu backend, in every
 * layout they take (and one each that they hand back to tfjs): elementwise
 * results must be identical, reductions within float32 rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { maxRelativeError, runOn, seededValues } from '../test-support';
import { LEAKY_RELU_GRAD } from './leaky-relu-gradient';

const t = (shape: number[], seed: number) => tf.tensor(seededValues(shape.reduce((a, b) => a * b, 1), seed), shape);

type Case = [name: string, compute: () => tf.Tensor[]];

const binaryOps = { add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div } as const;
const layouts: [string, number[], number[]][] = [
  ['same shape', [2, 5, 3, 8], [2, 5, 3, 8]],
  ['scalar second', [2, 5, 3, 8], []],
  ['scalar first', [], [2, 5, 3, 8]],
  ['channel vector second', [2, 5, 3, 8], [8]],
  ['channel vector first, rank 4', [1, 1, 1, 8], [2, 5, 3, 8]],
  ['odd length (scalar tail)', [7, 3], [7, 3]],
  ['not ours: a middle axis broadcast', [2, 5, 3, 8], [5, 1, 1]],
];

const cases: Case[] = [
  ...Object.entries(binaryOps).flatMap(([op, f]) =>
    layouts.map(([layout, a, b]): Case => [`${op}, ${layout}`, () => [f(t(a, 1), t(b, 2).add(op === 'div' ? 3 : 0))]]),
  ),
  ['sum over leading axes', () => [tf.sum(t([4, 6, 5, 12], 3), [0, 1, 2])]],
  ['sum, keepDims', () => [tf.sum(t([4, 6, 5, 12], 3), [0, 1, 2], true)]],
  ['sum over axis 0 of a matrix', () => [tf.sum(t([64, 40], 4), 0)]],
  ['mean over leading axes', () => [tf.mean(t([4, 6, 5, 12], 5), [0, 1, 2])]],
  ['not ours: sum over the last axis', () => [tf.sum(t([4, 6, 5, 12], 3), -1)]],
  ['square, odd length', () => [tf.square(t([3, 7, 5], 6))]],
  ['leakyRelu', () => [tf.leakyRelu(t([3, 7, 5, 4], 6), 0.2)]],
  ['leakyRelu, odd length', () => [tf.leakyRelu(t([3, 7, 5], 6), 0.3)]],
  [
    'leakyRelu gradient (exact zeros included)',
    () => {
      const x = t([2, 9, 3], 7).mul(tf.tensor([1, 0, 1], [3]));
      return [tf.grad((v: tf.Tensor) => tf.leakyRelu(v, 0.2).mul(t([2, 9, 3], 8)).sum())(x)];
    },
  ],
  [
    'leakyRelu gradient of the gradient (as R1 takes it)',
    () => {
      // d/dw of |∂/∂x Σ leakyRelu(x)·w|²: w reaches the loss through the gradient's dy (as R1's weights do).
      const x = t([2, 9, 3], 7);
      const inner = (w: tf.Tensor) => tf.grad((u: tf.Tensor) => tf.leakyRelu(u, 0.2).mul(w).sum())(x);
      return [tf.grad((w: tf.Tensor) => inner(w).square().sum())(t([2, 9, 3], 8))];
    },
  ],
  ['sum gradient (leading axes)', () => [tf.grad((v: tf.Tensor) => tf.sum(v, [0, 1]).mul(t([5, 4], 2)).sum())(t([3, 2, 5, 4], 1))]],
  ['mean gradient (leading axes)', () => [tf.grad((v: tf.Tensor) => tf.mean(v, [0, 1, 2]).mul(t([4], 2)).sum())(t([3, 2, 5, 4], 1))]],
  ['mean gradient (a middle axis, keepDims)', () => [tf.grad((v: tf.Tensor) => tf.mean(v, 1, true).mul(t([3, 1, 5], 2)).sum())(t([3, 7, 5], 1))]],
  [
    'batchNorm with scale and offset',
    () => [tf.batchNorm(t([4, 5, 3, 8], 9), t([8], 10), t([8], 11).abs(), t([8], 12), t([8], 13), 1e-3)],
  ],
  ['batchNorm without scale or offset', () => [tf.batchNorm(t([4, 5, 3, 8], 9), t([8], 10), t([8], 11).abs(), undefined, undefined, 1e-3)]],
];

describe('studio wasm elementwise kernels match the cpu backend', () => {
  let worst = 0;
  afterAll(() => console.log(`elementwise kernels: max relative error vs cpu ${worst.toExponential(2)}`));

  it.each(cases)('%s', async (name, compute) => {
    const [ours] = await runOn('wasm', compute);
    const [reference] = await runOn('cpu', compute);
    const err = maxRelativeError(ours!, reference!);
    worst = Math.max(worst, err);
    // Elementwise: identical arithmetic; reductions: another summation order. LeakyRelu's α is a
    // float32 on wasm (as in tfjs's own wasm kernel) and a double on cpu: one rounding apart.
    const tolerance = /sum|mean|batchNorm/.test(name) ? 1e-6 : name.startsWith('leakyRelu,') || name === 'leakyRelu' ? 1e-7 : 0;
    expect(err).toBeLessThanOrEqual(tolerance);
  });

  it('runs the one-pass gradient on wasm (not Greater/Select/Multiply)', async () => {
    await runOn('wasm', () => []);
    const names: string[] = [];
    const x = t([4, 4], 1);
    const { kernels } = await tf.profile(() => tf.grad((v: tf.Tensor) => tf.leakyRelu(v, 0.2).sum())(x));
    names.push(...kernels.map((k) => k.name));
    x.dispose();
    expect(names).toContain(LEAKY_RELU_GRAD);
    expect(names).not.toContain('Select');
  });

  it('shares memory for Identity and leaves no tensor or byte behind', async () => {
    await runOn('wasm', () => []);
    const x = t([3, 8], 2);
    const before = tf.memory();
    const y = tf.clone(x);
    const backend = tf.backend() as unknown as { getMemoryOffset(id: tf.DataId): number };
    expect(backend.getMemoryOffset(y.dataId)).toBe(backend.getMemoryOffset(x.dataId));
    x.dispose();
    // The clone keeps the data alive after the original is gone.
    expect(Array.from(await y.data())).toEqual(Array.from(seededValues(24, 2)));
    y.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors - 1);
  });

  it('shares memory for a Cast to the same dtype, and still converts to another', async () => {
    await runOn('wasm', () => []);
    const x = t([3, 8], 3);
    const backend = tf.backend() as unknown as { getMemoryOffset(id: tf.DataId): number };
    const same = tf.cast(x, 'float32');
    expect(backend.getMemoryOffset(same.dataId)).toBe(backend.getMemoryOffset(x.dataId));
    const ints = tf.cast(x.mul(10), 'int32');
    expect(ints.dtype).toBe('int32');
    expect(Array.from(await ints.data())).toEqual(Array.from(seededValues(24, 3), (v) => Math.trunc(Math.fround(v * 10)) + 0));
    x.dispose();
    expect(Array.from(await same.data())).toEqual(Array.from(seededValues(24, 3)));
    tf.dispose([same, ints]);
  });
});
