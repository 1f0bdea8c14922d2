/** DiffAugment's transforms on images whose every pixel is known. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { adjustColor, cutout, drawAugmentation, translate } from './diff-augment';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Image b of a 2×4×4×1 batch holds 1 + 100·b + 4·row + col (never 0). */
const numbered = () => tf.tensor4d(Array.from({ length: 32 }, (_, i) => 1 + 100 * Math.floor(i / 16) + (i % 16)), [2, 4, 4, 1]);
const pixel = (values: ArrayLike<number>, b: number, row: number, col: number) => values[b * 16 + row * 4 + col]!;

describe('DiffAugment', () => {
  it('translation shifts every pixel by exactly (dy, dx) per image, zero-filling what comes in', () => {
    const out = translate(numbered(), { dy: Int32Array.of(1, -2), dx: Int32Array.of(2, 0) }).dataSync();
    for (let row = 0; row < 4; row += 1) {
      for (let col = 0; col < 4; col += 1) {
        const inside0 = row - 1 >= 0 && col - 2 >= 0;
        expect(pixel(out, 0, row, col)).toBe(inside0 ? 1 + 4 * (row - 1) + (col - 2) : 0);
        const inside1 = row + 2 < 4;
        expect(pixel(out, 1, row, col)).toBe(inside1 ? 101 + 4 * (row + 2) + col : 0);
      }
    }
  });

  it('translation keeps channels apart', () => {
    const x = tf.tensor4d([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]);
    expect([...translate(x, { dy: Int32Array.of(0), dx: Int32Array.of(1) }).dataSync()]).toEqual([0, 0, 1, 10, 0, 0, 3, 30]);
  });

  it('cutout zeroes exactly its square (clipped at the edge) and nothing else', () => {
    const out = cutout(numbered(), { top: Int32Array.of(1, -1), left: Int32Array.of(1, 3), size: 2 }).dataSync();
    for (let row = 0; row < 4; row += 1) {
      for (let col = 0; col < 4; col += 1) {
        expect(pixel(out, 0, row, col) === 0).toBe(row >= 1 && row < 3 && col >= 1 && col < 3);
        expect(pixel(out, 1, row, col) === 0).toBe(row < 1 && col >= 3);
      }
    }
  });

  it('color: brightness adds, saturation scales around the channel mean, contrast around the image mean', () => {
    // One 1×2 RGB image: pixels (0, 0.2, 0.4) and (0.6, 0.6, 0.6).
    const x = tf.tensor4d([0, 0.2, 0.4, 0.6, 0.6, 0.6], [1, 1, 2, 3]);
    const only = (p: Partial<{ brightness: number; saturation: number; contrast: number }>) =>
      [
        ...adjustColor(x, {
          brightness: Float32Array.of(p.brightness ?? 0),
          saturation: Float32Array.of(p.saturation ?? 1),
          contrast: Float32Array.of(p.contrast ?? 1),
        }).dataSync(),
      ];
    expect(only({ brightness: 0.1 }).map((v) => +v.toFixed(5))).toEqual([0.1, 0.3, 0.5, 0.7, 0.7, 0.7]);
    // Channel mean of the first pixel is 0.2: (v − 0.2)·2 + 0.2; the grey pixel stays.
    expect(only({ saturation: 2 }).map((v) => +v.toFixed(5))).toEqual([-0.2, 0.2, 0.6, 0.6, 0.6, 0.6]);
    // Image mean is 0.4: (v − 0.4)·0.5 + 0.4.
    expect(only({ contrast: 0.5 }).map((v) => +v.toFixed(5))).toEqual([0.2, 0.3, 0.4, 0.5, 0.5, 0.5]);
  });

  it('is differentiable: the gradient of a translation is the reverse shift', () => {
    const weights = numbered();
    const shifts = { dy: Int32Array.of(1, 0), dx: Int32Array.of(0, -1) };
    const grad = tf.grad((x: tf.Tensor) => translate(x as tf.Tensor4D, shifts).mul(weights).sum())(tf.zeros([2, 4, 4, 1]));
    const g = grad.dataSync();
    // out[i] = x[i − dy] ⇒ ∂/∂x[j] = w[j + dy] (0 where j + dy leaves the image).
    expect(pixel(g, 0, 0, 2)).toBe(pixel(weights.dataSync(), 0, 1, 2));
    expect(pixel(g, 0, 3, 2)).toBe(0);
    expect(pixel(g, 1, 1, 1)).toBe(pixel(weights.dataSync(), 1, 1, 0));
    expect(pixel(g, 1, 1, 0)).toBe(0); // its source column −1 is outside
    const all = tf.grad((x: tf.Tensor) => drawAugmentation(['color', 'translation', 'cutout'], 2, 4, 4, new Rng(1))(x as tf.Tensor4D).sum())(numbered());
    expect(all.abs().sum().dataSync()[0]).toBeGreaterThan(0);
  });

  it('draws the same parameters from the same stream (deterministic per step)', () => {
    const a = drawAugmentation(['color', 'translation', 'cutout'], 2, 4, 4, new Rng(9))(numbered()).dataSync();
    const b = drawAugmentation(['color', 'translation', 'cutout'], 2, 4, 4, new Rng(9))(numbered()).dataSync();
    const c = drawAugmentation(['color', 'translation', 'cutout'], 2, 4, 4, new Rng(10))(numbered()).dataSync();
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
  });
});
