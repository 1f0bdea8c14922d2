/**
 * DiffAugment (Zhao et al. 2020, "Differentiable Augmentation for
 * Data-Efficient GAN Training"): the same random, differentiable transforms
 * on every image the discriminator sees — real and fake — so D cannot
 * memorise a small dataset, while G still gets gradients through them.
 * As in the paper's code, on images in [−1, 1]:
 * - color: brightness + U(−0.5, 0.5); saturation × U(0, 2) around the pixel's
 *   channel mean; contrast × U(0.5, 1.5) around the image mean (per image).
 * - translation: shift by up to 1/8 of the side in x and y, zero padding.
 * - cutout: zero a square of half the side at a random place.
 * Parameters are drawn in JS from the step's counter-based stream (rng.ts),
 * so a resumed run augments exactly as an uninterrupted one. Translation is
 * two batched matmuls with 0/1 shift matrices (rows, then columns), so it is
 * exact and its gradient is the reverse shift.
 */
import * as tf from '@tensorflow/tfjs';
import type { DiffAugmentOp } from '../../../shared/recipes';
import type { Rng } from '../../common/rng';

/** Per-image brightness offset, saturation and contrast factors. */
export interface ColorParams {
  brightness: Float32Array;
  saturation: Float32Array;
  contrast: Float32Array;
}

/** Per-image integer shifts (pixels; + moves content down / right). */
export interface Shifts {
  dy: Int32Array;
  dx: Int32Array;
}

/** Per-image cutout squares: top-left corner (may start above/left of the image) and side. */
export interface Cutouts {
  top: Int32Array;
  left: Int32Array;
  size: number;
}

export function adjustColor(x: tf.Tensor4D, p: ColorParams): tf.Tensor4D {
  const n = x.shape[0];
  const perImage = (values: Float32Array) => tf.tensor4d(values, [n, 1, 1, 1]);
  let y = x.add(perImage(p.brightness));
  const channelMean = y.mean(3, true);
  y = y.sub(channelMean).mul(perImage(p.saturation)).add(channelMean);
  const imageMean = y.mean([1, 2, 3], true);
  return y.sub(imageMean).mul(perImage(p.contrast)).add(imageMean) as tf.Tensor4D;
}

/** out[n, i, j] = x[n, i − dy, j − dx], zero where that is outside the image. */
export function translate(x: tf.Tensor4D, shifts: Shifts): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  // Rows: T_y[n] (h × h) times x[n] seen as h × (w·c).
  const rows = tf.matMul(shiftMatrices(shifts.dy, h), x.reshape([n, h, w * c]));
  // Columns: the same with the image transposed, T_x[n] (w × w) times w × (h·c).
  const transposed = rows.reshape([n, h, w, c]).transpose([0, 2, 1, 3]).reshape([n, w, h * c]);
  const cols = tf.matMul(shiftMatrices(shifts.dx, w), transposed);
  return cols.reshape([n, w, h, c]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
}

/** One side × side 0/1 matrix per image with M[i][i − shift] = 1 (when inside). */
function shiftMatrices(shift: Int32Array, side: number): tf.Tensor3D {
  const values = new Float32Array(shift.length * side * side);
  shift.forEach((by, b) => {
    for (let i = 0; i < side; i += 1) {
      const source = i - by;
      if (source >= 0 && source < side) values[(b * side + i) * side + source] = 1;
    }
  });
  return tf.tensor3d(values, [shift.length, side, side]);
}

/** Zero each image's square (clipped to the image). */
export function cutout(x: tf.Tensor4D, boxes: Cutouts): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const mask = new Float32Array(n * h * w).fill(1);
  for (let b = 0; b < n; b += 1) {
    for (let i = Math.max(0, boxes.top[b]!); i < Math.min(h, boxes.top[b]! + boxes.size); i += 1) {
      for (let j = Math.max(0, boxes.left[b]!); j < Math.min(w, boxes.left[b]! + boxes.size); j += 1) mask[(b * h + i) * w + j] = 0;
    }
  }
  return x.mul(tf.tensor4d(mask, [n, h, w, 1]));
}

/** One batch's augmentation, drawn once and applied to any tensor of that shape (the same for G's and D's phase). */
export type Augmentation = (x: tf.Tensor4D) => tf.Tensor4D;

/** Draw the parameters of `ops` for a batch of `n` images of side h × w from `rng`. */
export function drawAugmentation(ops: readonly DiffAugmentOp[], n: number, h: number, w: number, rng: Rng): Augmentation {
  const uniform = (low: number, high: number) => Float32Array.from({ length: n }, () => low + (high - low) * rng.next());
  const integers = (low: number, high: number) => Int32Array.from({ length: n }, () => low + Math.floor(rng.next() * (high - low + 1)));
  const steps: Augmentation[] = [];
  // The paper's order: color, translation, cutout.
  if (ops.includes('color')) {
    const params = { brightness: uniform(-0.5, 0.5), saturation: uniform(0, 2), contrast: uniform(0.5, 1.5) };
    steps.push((x) => adjustColor(x, params));
  }
  if (ops.includes('translation')) {
    const sy = Math.round(h / 8);
    const sx = Math.round(w / 8);
    const shifts = { dy: integers(-sy, sy), dx: integers(-sx, sx) };
    steps.push((x) => translate(x, shifts));
  }
  if (ops.includes('cutout')) {
    const size = Math.round(h / 2);
    // The square's centre is anywhere in the image, as in the paper; it may hang over the edge.
    const boxes = { top: integers(0, h - 1).map((c) => c - Math.floor(size / 2)), left: integers(0, w - 1).map((c) => c - Math.floor(size / 2)), size };
    steps.push((x) => cutout(x, boxes));
  }
  return (x) => steps.reduce((y, step) => step(y), x);
}
