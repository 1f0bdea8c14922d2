/**
 * BatchNorm's gradient in one pass on wasm. tfjs's gradient of
 * FusedBatchNorm (per-channel statistics) is ~25 kernel calls per layer per
 * step: x − mean, dy·scale, dy·tile(r)·scale and three more full-size
 * products, four Sums, scalar tensors and reshapes. While the wasm backend
 * with the studio's kernels trains, one kernel computes dx and the four
 * per-channel sums instead, with the same float32 operations in the same
 * order (each element's products as tfjs's kernels form them; each sum
 * over the rows in order from +0, as the studio's Sum kernel adds them), so
 * every value is bit for bit tfjs's. The per-channel factors r = 1/√(var+ε)
 * and −½r³ are still made by tfjs's own kernels (on c floats). Other
 * backends, statistics that are not per channel, a channel count that is not
 * a multiple of 4 (tfjs's Sum would add in another order), and gradients of
 * gradients keep tfjs's gradient.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-ops';
import { studioKernels } from './conv-kernels';
import { FunctionBuilder, OP, SIMD } from './wasm-emitter';

/** The kernel: inputs {x, dy, mean, r, scale, h} (r = 1/√(var+ε), h = −½r³); outputs [dx, dMean, dVariance, dScale, dOffset]. */
export const BATCH_NORM_GRAD = 'StudioBatchNormGrad';

/**
 * batchNormGrad(x, dy, mean, r, s, h, dx, dMean, dVar, dScale, dOffset, rows, c),
 * with e = row·c + j over rows × c (c a multiple of 4; the sums start zeroed):
 * dx[e] = (dy·r[j])·s[j]; dMean[j] += (r[j]·−1)·(dy·s[j]);
 * dVar[j] += (h[j]·(x − mean[j]))·(dy·s[j]); dScale[j] += dy·((x − mean[j])·r[j]); dOffset[j] += dy.
 */
export function batchNormGrad(): FunctionBuilder {
  const fb = new FunctionBuilder(Array<'i32'>(13).fill('i32'));
  const [X, DY, MEAN, R, S, H, DX, D_MEAN, D_VAR, D_SCALE, D_OFFSET, ROWS, C] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const row = fb.local('i32');
  const j = fb.local('i32');
  const e = fb.local('i32');
  const [dy, xMinusMean, dyTimesScale, r] = [0, 1, 2, 3].map(() => fb.local('v128')) as [number, number, number, number];
  /** Pushes base + i·4. */
  const at = (base: number, i: number) => fb.get(base).get(i).i32(4).op(OP.i32Mul, OP.i32Add);
  const vec = (base: number, i: number) => at(base, i).simdMem(SIMD.load);
  /** sums[j] += the vector the body leaves on the stack. */
  const accumulate = (sums: number, body: () => void) => {
    at(sums, j);
    vec(sums, j);
    body();
    fb.simd(SIMD.f32x4Add).simdMem(SIMD.store);
  };
  fb.forRange(row, 0, () => fb.get(ROWS), 1, () => {
    fb.forRange(j, 0, () => fb.get(C), 4, () => {
      fb.get(row).get(C).op(OP.i32Mul).get(j).op(OP.i32Add).set(e);
      vec(DY, e).set(dy);
      vec(R, j).set(r);
      vec(X, e);
      vec(MEAN, j).simd(SIMD.f32x4Sub).set(xMinusMean);
      fb.get(dy);
      vec(S, j).simd(SIMD.f32x4Mul).set(dyTimesScale);
      at(DX, e).get(dy).get(r).simd(SIMD.f32x4Mul);
      vec(S, j).simd(SIMD.f32x4Mul).simdMem(SIMD.store);
      accumulate(D_MEAN, () => fb.get(r).f32(-1).simd(SIMD.f32x4Splat).simd(SIMD.f32x4Mul).get(dyTimesScale).simd(SIMD.f32x4Mul));
      accumulate(D_VAR, () => (vec(H, j), fb.get(xMinusMean).simd(SIMD.f32x4Mul).get(dyTimesScale).simd(SIMD.f32x4Mul)));
      accumulate(D_SCALE, () => fb.get(dy).get(xMinusMean).get(r).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Mul));
      accumulate(D_OFFSET, () => fb.get(dy));
    });
  });
  return fb;
}

function batchNormGradKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo[] {
  const backend = args.backend as WasmBackendLike;
  const { x, dy, mean, r, scale, h } = args.inputs as Record<'x' | 'dy' | 'mean' | 'r' | 'scale' | 'h', tf.TensorInfo>;
  const c = mean.shape[0]!;
  const rows = x.shape.reduce((a, b) => a * b, 1) / c;
  const dx = backend.makeOutput([...x.shape], 'float32');
  const sums = [0, 1, 2, 3].map(() => backend.makeOutput([c], 'float32'));
  for (const s of sums) (backend.typedArrayFromHeap(s) as Float32Array).fill(0);
  const address = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
  studioKernels(backend)!.exports['batchNormGrad']!(...[x, dy, mean, r, scale, h, dx, ...sums].map(address), rows, c);
  return [dx, ...sums];
}

/** Kernel config registered for backend 'wasm'. */
export const batchNormGradConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM_GRAD,
  backendName: 'wasm',
  kernelFunc: batchNormGradKernel as unknown as tf.KernelFunc,
};

/** True when the one-pass gradient gives tfjs's values here (see the module comment). */
function fusedApplies(x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, scale: tf.Tensor | null | undefined, dy: tf.Tensor): scale is tf.Tensor {
  const recordingOuter = (tf.engine().state as unknown as { gradientDepth: number }).gradientDepth > 0;
  const channels = x.shape[3] ?? 0;
  return (
    tf.getBackend() === 'wasm' &&
    studioKernels(tf.backend()) !== undefined &&
    !recordingOuter &&
    scale !== undefined &&
    scale !== null &&
    x.rank === 4 &&
    mean.rank === 1 &&
    channels % 4 === 0 &&
    [mean, variance, scale].every((t) => t.size === channels) &&
    [x, mean, variance, scale, dy].every((t) => t.dtype === 'float32')
  );
}

let installed = false;

/** Routes FusedBatchNorm's registered gradient to the one-pass kernel on wasm (idempotent). */
export function installBatchNormGradient(): void {
  if (installed) return;
  const config = tf.getGradient(tf.FusedBatchNorm);
  if (config === undefined) return;
  const original = config.gradFunc;
  config.gradFunc = (dy, saved, attrs) => {
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | null | undefined];
    if (!fusedApplies(x, mean, variance, scale, dy as tf.Tensor)) return original(dy, saved, attrs);
    const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
    // tfjs's own kernels for the per-channel factors, as its gradient makes them.
    const r = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
    const h = tf.mul(tf.mul(tf.mul(r, r), r), tf.scalar(-0.5));
    const [dx, dMean, dVariance, dScale, dOffset] = tf.engine().runKernel(BATCH_NORM_GRAD, { x, dy: dy as tf.Tensor, mean, r, scale, h }, {}) as tf.Tensor[];
    return { x: () => dx!, mean: () => dMean!, variance: () => dVariance!, scale: () => dScale!, offset: () => dOffset! };
  };
  installed = true;
}
