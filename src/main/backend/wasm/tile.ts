/**
 * A faster Tile for the wasm backend. BatchNorm's gradient tiles per-channel
 * vectors ([1,1,1,C]) up to the activation's full shape; tfjs's wasm Tile is
 * an element-by-element loop (~85 ms for [64,8,8,256] on one core). When the
 * output is just the input repeated end to end — every tiled axis sits in
 * front of the input's data — it is a doubling memcpy instead. Other tilings
 * go to the built-in kernel.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from './kernel-ops';

/** How many back-to-back copies of x the tiling is, or undefined if it is not that simple. */
export function contiguousRepeats(shape: readonly number[], reps: readonly number[]): number | undefined {
  let last = -1;
  reps.forEach((r, i) => {
    if (r > 1) last = i;
  });
  for (let i = 0; i <= last; i++) if (shape[i] !== 1) return undefined;
  return reps.reduce((a, b) => a * b, 1);
}

/** Wraps tfjs's wasm Tile: the contiguous case here, everything else delegated. */
export function makeTileConfig(builtin: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { reps } = args.attrs as unknown as tf.TileAttrs;
    const repeats = contiguousRepeats(x.shape, reps);
    if (repeats === undefined || x.dtype === 'string' || x.dtype === 'complex64') {
      return builtin.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
    }
    const backend = args.backend as WasmBackendLike;
    const out = backend.makeOutput(
      x.shape.map((d, i) => d * reps[i]!),
      x.dtype,
    );
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    const total = dst.length;
    if (total === 0) return out;
    dst.set(src, 0);
    for (let filled = src.length; filled < total; filled *= 2) {
      dst.copyWithin(filled, 0, Math.min(filled, total - filled));
    }
    return out;
  };
  return { ...builtin, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
