import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { installLazyFusedGradients } from './lazy-fused-gradients';
import { contiguousRepeats } from './tile';
import { maxRelativeError, runOn, seededValues } from './test-support';

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const tensor = (shape: number[], seed: number) => tf.tensor(seededValues(size(shape), seed), shape);

async function onBothBackends(compute: () => tf.Tensor[]): Promise<number> {
  const actual = await runOn('wasm', compute);
  const expected = await runOn('cpu', compute);
  return Math.max(...actual.map((a, i) => maxRelativeError(a, expected[i]!)));
}

describe('wasm Tile', () => {
  it('recognises tilings that are back-to-back copies of the input', () => {
    expect(contiguousRepeats([1, 1, 1, 8], [4, 3, 2, 1])).toBe(24);
    expect(contiguousRepeats([1, 5], [3, 1])).toBe(3);
    expect(contiguousRepeats([2, 3], [1, 1])).toBe(1);
    expect(contiguousRepeats([2, 3], [2, 2])).toBeUndefined();
    expect(contiguousRepeats([1, 3, 1], [1, 1, 4])).toBeUndefined();
  });

  it.each([
    [[1, 1, 1, 7], [3, 4, 5, 1]],
    [[1, 6], [9, 1]],
    [[1, 1, 3], [2, 1, 1]],
    [[2, 3], [2, 2]],
    [[1, 3, 1], [2, 1, 4]],
  ])('tiles %j by %j exactly like the cpu backend', async (shape, reps) => {
    const err = await onBothBackends(() => {
      const x = tensor(shape, 4);
      const asInt = tf.cast(tf.mul(x, 100), 'int32');
      const out = [tf.tile(x, reps), tf.cast(tf.tile(asInt, reps), 'float32')];
      tf.dispose([x, asInt]);
      return out;
    });
    expect(err).toBe(0);
  });
});

describe('wasm BatchMatMul', () => {
  const shapes: [string, number[], number[]][] = [
    ['2-D', [5, 7], [7, 3]],
    ['batch-1 3-D', [1, 5, 7], [1, 7, 3]],
    ['batched (delegated)', [2, 5, 7], [2, 7, 3]],
  ];
  const combos = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const;
  for (const [name, aShape, bShape] of shapes) {
    it.each(combos)(`${name}: transposeA=%s transposeB=%s matches the cpu backend`, async (ta, tb) => {
      const err = await onBothBackends(() => {
        const swap = (s: number[]) => [...s.slice(0, -2), s.at(-1)!, s.at(-2)!];
        const a = tensor(ta ? swap(aShape) : aShape, 7);
        const b = tensor(tb ? swap(bShape) : bShape, 8);
        const out = tf.matMul(a, b, ta, tb);
        tf.dispose([a, b]);
        return [out];
      });
      expect(err).toBeLessThan(1e-6);
    });
  }
});

describe('lazy fused-op gradients on wasm', () => {
  /** A Conv2D (with bias) + Dense, as tf.layers builds them: both go through tf.fused. */
  function gradsOfWeights(): tf.Tensor[] {
    const x = tensor([2, 6, 6, 3], 1);
    const kernel = tf.variable(tensor([3, 3, 3, 4], 2));
    const bias = tf.variable(tensor([4], 3));
    const dense = tf.variable(tensor([36, 2], 5));
    const { grads } = tf.variableGrads(() => {
      const y = tf.fused.conv2d({ x: x as tf.Tensor4D, filter: kernel as tf.Tensor4D, strides: 2, pad: 'same', bias });
      return tf.sum(tf.fused.matMul({ a: tf.reshape(y, [2, 36]), b: dense }));
    }, [kernel, bias, dense]);
    const out = Object.values(grads);
    tf.dispose([x, kernel, bias, dense]);
    return out;
  }

  it('gives the cpu backend gradients', async () => {
    expect(installLazyFusedGradients()).toBe(true);
    expect(await onBothBackends(gradsOfWeights)).toBeLessThan(1e-5);
  });

  it('skips the input gradient nobody asked for', async () => {
    await runOn('wasm', () => []);
    installLazyFusedGradients();
    const profile = await tf.profile(() => tf.dispose(gradsOfWeights()));
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain(tf.Conv2DBackpropFilter);
    expect(names).not.toContain(tf.Conv2DBackpropInput);
  });
});
