import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { Rng, withMathRandom } from '../../../common/rng';
import { runOn, seededValues } from '../test-support';
import { DROPOUT_MASK } from './fast-dropout';

/** A Dropout layer in training mode, as tf.layers runs it in a GAN step, and its input gradient. */
function dropoutLayer(shape: number[], rate: number, stream: number): tf.Tensor[] {
  const layer = tf.layers.dropout({ rate });
  const x = tf.tensor(seededValues(tf.util.sizeFromShape(shape), 3), shape);
  const dy = tf.tensor(seededValues(tf.util.sizeFromShape(shape), 4), shape);
  // The trainer gives each step's ops their own Math.random stream; tfjs seeds each dropout from it.
  return withMathRandom(Rng.stream(7, 'tfOps', stream), () => {
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const dx = tf.grad((input: tf.Tensor) => (layer.apply(input, { training: true }) as tf.Tensor).mul(dy).sum())(x);
    return [y, dx];
  });
}

/** How many elements differ in their bits (a count, so a failure reports at once instead of diffing 800k values). */
function bitMismatches(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Math.max(actual.length, expected.length);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const b = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  return a.filter((bits, i) => bits !== b[i]).length;
}

describe('dropout on wasm (the mask in one kernel)', () => {
  it.each([
    [[64, 14, 14, 64], 0.3],
    [[3, 5, 7], 0.5],
    [[1], 0.9],
  ])('gives tfjs’s dropout bit for bit on %j at rate %d, gradient included', async (shape, rate) => {
    const expected = await runOn('cpu', () => dropoutLayer(shape, rate, 1));
    const run = vi.spyOn(tf.engine(), 'runKernel');
    const actual = await runOn('wasm', () => dropoutLayer(shape, rate, 1));
    const kernels = run.mock.calls.map(([name]) => name);
    run.mockRestore();
    expect(kernels.filter((name) => name === DROPOUT_MASK)).toHaveLength(2);
    expect(kernels).not.toContain(tf.Floor);
    expect(bitMismatches(actual[0]!, expected[0]!)).toBe(0);
    expect(bitMismatches(actual[1]!, expected[1]!)).toBe(0);
    // About `rate` of the elements dropped, the rest scaled by 1/(1 − rate).
    const dropped = actual[0]!.filter((v) => v === 0).length / actual[0]!.length;
    if (actual[0]!.length > 1000) expect(dropped).toBeCloseTo(rate, 1);
    const x = seededValues(actual[0]!.length, 3);
    const scaledOtherwise = actual[0]!.filter((v, i) => v !== 0 && Math.abs(v / x[i]! - 1 / (1 - rate)) > 1e-5).length;
    expect(scaledOtherwise).toBe(0);
  });

  it('draws a new mask from each Math.random seed, as tfjs does', async () => {
    const [first] = await runOn('wasm', () => dropoutLayer([1000], 0.5, 1));
    const [second] = await runOn('wasm', () => dropoutLayer([1000], 0.5, 2));
    expect([...first!]).not.toEqual([...second!]);
  });

  it('leaves no tensors or heap behind (the mask is disposed after the Multiply)', async () => {
    await runOn('wasm', () => []);
    const x = tf.tensor(seededValues(4096, 3), [64, 64]);
    tf.tidy(() => tf.dropout(x, 0.3));
    const before = tf.memory();
    for (let i = 0; i < 20; i++) tf.dropout(x, 0.3).dispose();
    const after = tf.memory();
    x.dispose();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
  });
});
