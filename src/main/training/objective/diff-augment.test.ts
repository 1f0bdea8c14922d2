/**
 * DiffAugment's transforms on images whose every pixel is known, then each op
 * in the real step: what the discriminator was given in each phase.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiffAugmentOp } from '../../../shared/recipes';
import { Rng } from '../../common/rng';
import { adjustColor, cutout, drawAugmentation, translate } from './diff-augment';
import { logitsOf, probeGan, type ImageShape } from './probe-gan';

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

/**
 * The step's view of each op: D's input must be the op's transform of the
 * batch — checked by the property that defines the op, worked out in plain
 * JS — for the reals and for the fakes, and the generator phase must score
 * the very fakes the discriminator phase scores (the classic DiffAugment
 * mistake is a generator phase that sees them un-augmented).
 */
describe('DiffAugment in the step', () => {
  const shape: ImageShape = [6, 16, 16, 3];
  const [n, side, , channels] = shape;
  const perImage = side * side * channels;
  const image = (values: Float32Array, b: number) => values.subarray(b * perImage, (b + 1) * perImage);
  const at = (values: Float32Array, row: number, col: number, ch: number) => values[(row * side + col) * channels + ch]!;
  const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

  /** The (dy, dx) within ±side/8 that makes `seen` the zero-filled shift of `source`, if one does. */
  function shiftOf(source: Float32Array, seen: Float32Array): [number, number] | undefined {
    const max = side / 8;
    for (let dy = -max; dy <= max; dy += 1) {
      for (let dx = -max; dx <= max; dx += 1) {
        let same = true;
        for (let i = 0; same && i < side * side * channels; i += 1) {
          const [row, col, ch] = [Math.floor(i / (side * channels)), Math.floor(i / channels) % side, i % channels];
          const inside = row - dy >= 0 && row - dy < side && col - dx >= 0 && col - dx < side;
          same = seen[i] === (inside ? at(source, row - dy, col - dx, ch) : 0);
        }
        if (same) return [dy, dx];
      }
    }
    return undefined;
  }

  /** The square `seen` zeroes in `source` (clipped at the edges), if it is `source` with one square zeroed. */
  function cutoutOf(source: Float32Array, seen: Float32Array): { rows: number[]; cols: number[] } | undefined {
    const rows = new Set<number>();
    const cols = new Set<number>();
    for (let i = 0; i < seen.length; i += 1) {
      if (seen[i] === source[i]) continue;
      if (seen[i] !== 0) return undefined;
      rows.add(Math.floor(i / (side * channels)));
      cols.add(Math.floor(i / channels) % side);
    }
    const zeroed = (row: number, col: number) => Array.from({ length: channels }, (_, ch) => at(seen, row, col, ch)).every((v) => v === 0);
    const [r, c] = [[...rows].sort((a, b) => a - b), [...cols].sort((a, b) => a - b)];
    // Every pixel (all channels) of the rows × cols rectangle is zero, and the rectangle is contiguous.
    if (r.some((row) => c.some((col) => !zeroed(row, col)))) return undefined;
    if (r.length > 0 && (r.at(-1)! - r[0]! + 1 !== r.length || c.at(-1)! - c[0]! + 1 !== c.length)) return undefined;
    return { rows: r, cols: c };
  }

  /**
   * Colour as DiffAugment defines it on an image x: y = k·t·(x − m) + k·(m − μ) + μ + b, with m the pixel's
   * channel mean, μ the image mean, brightness b ∈ [−½, ½], saturation t ∈ [0, 2], contrast k ∈ [½, 3/2].
   * Fitted by least squares: chroma y − m_y = k·t·(x − m), luminance m_y = k·m + (1 − k)·μ + b.
   */
  function colorOf(source: Float32Array, seen: Float32Array): { k: number; t: number; b: number; residual: number } {
    const pixels = side * side;
    const mean = (v: Float32Array, p: number) => (v[3 * p]! + v[3 * p + 1]! + v[3 * p + 2]!) / 3;
    const [mx, my] = [Float32Array.from({ length: pixels }, (_, p) => mean(source, p)), Float32Array.from({ length: pixels }, (_, p) => mean(seen, p))];
    let [cc, cy] = [0, 0];
    for (let i = 0; i < seen.length; i += 1) {
      const p = Math.floor(i / 3);
      cc += (source[i]! - mx[p]!) ** 2;
      cy += (source[i]! - mx[p]!) * (seen[i]! - my[p]!);
    }
    const kt = cy / cc;
    const mu = mx.reduce((a, v) => a + v, 0) / pixels;
    const muY = my.reduce((a, v) => a + v, 0) / pixels;
    let [vx, vxy] = [0, 0];
    mx.forEach((m, p) => ((vx += (m - mu) ** 2), (vxy += (m - mu) * (my[p]! - muY))));
    const k = vxy / vx;
    const b = muY - mu;
    let residual = 0;
    for (let i = 0; i < seen.length; i += 1) {
      const p = Math.floor(i / 3);
      residual = Math.max(residual, Math.abs(seen[i]! - (kt * (source[i]! - mx[p]!) + k * (mx[p]! - mu) + mu + b)));
    }
    return { k, t: kt / k, b, residual };
  }

  /** Asserts that every image of `seen` is `op` applied to the same image of `source`, and that the op changed the batch. */
  function expectOp(op: DiffAugmentOp, source: Float32Array, seen: Float32Array): void {
    const changed: boolean[] = [];
    for (let b = 0; b < n; b += 1) {
      const [x, y] = [image(source, b), image(seen, b)];
      if (op === 'translation') {
        const shift = shiftOf(x, y);
        expect(shift, `image ${b} is not a shift of at most ${side / 8} pixels`).toBeDefined();
        changed.push(shift![0] !== 0 || shift![1] !== 0);
      } else if (op === 'cutout') {
        const box = cutoutOf(x, y);
        expect(box, `image ${b} is not its source with one square zeroed`).toBeDefined();
        // A half-side square whose centre lies in the image: clipped to at least a quarter side, whole unless at an edge.
        for (const span of [box!.rows, box!.cols]) {
          expect(span.length).toBeGreaterThanOrEqual(side / 4);
          expect(span.length === side / 2 || span[0] === 0 || span.at(-1) === side - 1).toBe(true);
        }
        changed.push(true);
      } else {
        const { k, t, b: brightness, residual } = colorOf(x, y);
        expect(residual, `image ${b} is not a colour transform of its source`).toBeLessThan(1e-4);
        expect(k).toBeGreaterThanOrEqual(0.5 - 1e-4);
        expect(k).toBeLessThanOrEqual(1.5 + 1e-4);
        expect(t).toBeGreaterThanOrEqual(-1e-4);
        expect(t).toBeLessThanOrEqual(2 + 1e-4);
        expect(Math.abs(brightness)).toBeLessThanOrEqual(0.5 + 1e-4);
        changed.push(Math.abs(k - 1) > 1e-3 && Math.abs(t - 1) > 1e-3 && Math.abs(brightness) > 1e-3);
      }
    }
    expect(changed.filter(Boolean).length, `${op} changed ${changed.filter(Boolean).length} of ${n} images`).toBeGreaterThanOrEqual(n / 2);
  }

  it('off: D sees the real batch and the same fakes in both phases exactly as they are', async () => {
    const gan = probeGan({ shape });
    await gan.step(1);
    const seen = gan.phases();
    expect(maxAbsDiff(seen.real, gan.real)).toBe(0);
    expect(maxAbsDiff(seen.generatorFake, gan.fake)).toBe(0);
    expect(maxAbsDiff(seen.discriminatorFake, gan.fake)).toBe(0);
    gan.dispose();
  });

  it.each(['color', 'translation', 'cutout'] as const)('%s alone transforms what D sees of the reals and of the fakes, the same fakes in both phases', async (op) => {
    const gan = probeGan({ recipes: { diffAugment: [op] }, shape });
    await gan.step(1);
    const seen = gan.phases();
    expectOp(op, gan.real, seen.real);
    expectOp(op, gan.fake, seen.discriminatorFake);
    expect(maxAbsDiff(seen.generatorFake, seen.discriminatorFake)).toBe(0);
    gan.dispose();
  });

  it('all three: both phases score the augmented fakes, and the losses are those of what D saw', async () => {
    const gan = probeGan({ recipes: { diffAugment: ['color', 'translation', 'cutout'] }, shape });
    const result = await gan.step(7);
    const seen = gan.phases();
    expect(maxAbsDiff(seen.generatorFake, seen.discriminatorFake)).toBe(0);
    for (const [source, view] of [[gan.real, seen.real], [gan.fake, seen.discriminatorFake]] as const) {
      // Cutout zeroed a square of every image: D never saw the batch as it is.
      for (let b = 0; b < n; b += 1) expect(image(view, b).filter((v) => v === 0).length).toBeGreaterThanOrEqual((side / 4) ** 2 * channels);
      expect(maxAbsDiff(source, view)).toBeGreaterThan(0.1);
    }
    const softplus = (x: number) => Math.log1p(Math.exp(x));
    const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;
    expect(result.gen_loss).toBeCloseTo(mean(logitsOf(gan, seen.generatorFake).map((x) => softplus(-x))), 5);
    expect(result.disc_loss).toBeCloseTo(mean(logitsOf(gan, seen.real).map((x) => softplus(-x))) + mean(logitsOf(gan, seen.discriminatorFake).map(softplus)), 5);
    gan.dispose();
  });
});
