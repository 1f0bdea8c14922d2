/**
 * The smoke op every candidate backend must pass before it is chosen: the
 * gradients of a small strided conv (what a GAN step needs), checked against
 * a plain-JS reference so a backend that loads but computes wrong gradients
 * is skipped rather than trusted.
 */
import * as tf from '@tensorflow/tfjs';

// x [1,5,5,2], filter [3,3,2,3], stride 2, 'same' → y [1,3,3,3] with one row/column of padding before.
const H = 5;
const K = 3;
const CI = 2;
const CO = 3;
const STRIDE = 2;
const OUT = 3;
const PAD = 1;

const values = (n: number, phase: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.7 + phase));

const xs = values(H * H * CI, 0.1);
const fs = values(K * K * CI * CO, 0.9);
const ws = values(OUT * OUT * CO, 2.3);

/** dL/dx and dL/df of L = Σ conv2d(x, f) ⊙ w, by direct summation. */
function referenceGradients(): { dx: Float32Array; df: Float32Array } {
  const dx = new Float32Array(xs.length);
  const df = new Float32Array(fs.length);
  for (let oh = 0; oh < OUT; oh++) {
    for (let ow = 0; ow < OUT; ow++) {
      for (let kh = 0; kh < K; kh++) {
        for (let kw = 0; kw < K; kw++) {
          const ih = oh * STRIDE + kh - PAD;
          const iw = ow * STRIDE + kw - PAD;
          if (ih < 0 || ih >= H || iw < 0 || iw >= H) continue;
          for (let ci = 0; ci < CI; ci++) {
            for (let co = 0; co < CO; co++) {
              const fi = ((kh * K + kw) * CI + ci) * CO + co;
              const xi = (ih * H + iw) * CI + ci;
              const w = ws[(oh * OUT + ow) * CO + co]!;
              dx[xi]! += fs[fi]! * w;
              df[fi]! += xs[xi]! * w;
            }
          }
        }
      }
    }
  }
  return { dx, df };
}

function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    err = Math.max(err, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return err / (scale || 1);
}

/**
 * Runs the smoke op on the current tf backend. Resolves to the worst relative
 * error against the reference (NaN/Infinity when the output is not finite).
 */
export async function runGradientSmoke(): Promise<number> {
  const [gx, gf] = tf.tidy(() => {
    const x = tf.tensor4d(xs, [1, H, H, CI]);
    const f = tf.tensor4d(fs, [K, K, CI, CO]);
    const w = tf.tensor4d(ws, [1, OUT, OUT, CO]);
    const loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, STRIDE, 'same'), w));
    return tf.grads(loss)([x, f]);
  });
  try {
    // Asynchronous readback: a GPU backend (webgpu) has no synchronous one.
    const [dx, df] = await Promise.all([gx!.data(), gf!.data()]);
    const ref = referenceGradients();
    const err = Math.max(maxRelativeError(dx, ref.dx), maxRelativeError(df, ref.df));
    return Number.isFinite(err) ? err : Number.POSITIVE_INFINITY;
  } finally {
    tf.dispose([gx!, gf!]);
  }
}

/**
 * Smoke results above this relative error disqualify a backend. float32 gives
 * ~1e-7, but libtensorflow uses TF32 (10-bit mantissa) for convs on Ampere
 * GPUs (~1e-3); a wrong kernel is off by O(1).
 */
export const SMOKE_TOLERANCE = 1e-2;
