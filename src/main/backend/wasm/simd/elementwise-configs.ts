/**
 * Kernel configs that put tfjs's memory-bound kernels on the studio's
 * one-pass SIMD loops (elementwise-kernels.ts) for float32 data in the
 * layouts a training step produces; every other case goes to the tfjs kernel
 * being wrapped. Identity, and Cast to the dtype a tensor already has, share
 * its memory instead of copying it (as tfjs's cpu backend does). Passes over
 * enough elements split across the kernel threads at multiples of 4 elements
 * (or whole rows): every element is computed alone, so any split gives the
 * same bits.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-ops';
import { studioKernels } from './conv-kernels';
import type { BinaryOp, Broadcast } from './elementwise-kernels';
import { binaryName } from './elementwise-kernels';
import { parallelElements, parallelRowsOf } from './parallel';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown };
type Wrap = (builtin: tf.KernelConfig) => tf.KernelConfig;

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const offset = (backend: WasmBackendLike, info: tf.TensorInfo): number => backend.getMemoryOffset(info.dataId);
const delegate = (builtin: tf.KernelConfig, args: KernelArgs) => builtin.kernelFunc(args as Parameters<tf.KernelFunc>[0]);

/** Wraps `builtin` with `ours`, which returns undefined for cases it leaves to tfjs. */
function wrapWith(ours: (args: KernelArgs, backend: WasmBackendLike) => tf.TensorInfo | undefined): Wrap {
  return (builtin) => {
    const kernelFunc = (args: KernelArgs) => {
      const backend = args.backend as WasmBackendLike;
      return (studioKernels(backend) !== undefined ? ours(args, backend) : undefined) ?? delegate(builtin, args);
    };
    return { ...builtin, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
  };
}

/** b is a vector along the last axis of `full` (every other axis of b is 1). */
function isTrailingVector(b: readonly number[], full: readonly number[]): boolean {
  const c = full[full.length - 1];
  return b.length >= 1 && b.length <= full.length && b[b.length - 1] === c && b.slice(0, -1).every((d) => d === 1);
}

/** How a binary op's operands line up, with the full-size operand first; undefined: not a case we take. */
function binaryLayout(a: tf.TensorInfo, b: tf.TensorInfo): { full: tf.TensorInfo; other: tf.TensorInfo; broadcast: Broadcast; swap: boolean; rows: number } | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const n = size(outShape);
  const c = outShape[outShape.length - 1] ?? 1;
  for (const [full, other, swap] of [
    [a, b, false],
    [b, a, true],
  ] as const) {
    if (size(full.shape) !== n || full.shape.length !== outShape.length) continue;
    if (size(other.shape) === n && other.shape.length === outShape.length) return { full, other, broadcast: 'same', swap, rows: n };
    if (size(other.shape) === 1) return { full, other, broadcast: 'scalar', swap, rows: n };
    if (c % 4 === 0 && isTrailingVector(other.shape, outShape)) return { full, other, broadcast: 'row', swap, rows: n / c };
  }
  return undefined;
}

function binaryKernel(op: BinaryOp): Wrap {
  return wrapWith((args, backend) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const layout = binaryLayout(a, b);
    if (layout === undefined) return undefined;
    const { full, other, broadcast, swap, rows } = layout;
    const out = backend.makeOutput([...full.shape], 'float32');
    const fn = binaryName(op, broadcast, swap);
    const [a0, b0, out0] = [offset(backend, full), offset(backend, other), offset(backend, out)];
    const kernels = studioKernels(backend)!;
    if (broadcast === 'row') {
      const c = full.shape[full.shape.length - 1]!;
      parallelRowsOf(kernels, rows, c, (from, to) => ({ fn, args: [a0 + from * c * 4, b0, out0 + from * c * 4, to - from, c] }));
    } else {
      // A scalar operand is read at the same place by every part.
      const bFrom = (from: number) => (broadcast === 'same' ? b0 + from * 4 : b0);
      parallelElements(kernels, rows, (from, to) => ({ fn, args: [a0 + from * 4, bFrom(from), out0 + from * 4, to - from] }));
    }
    return out;
  });
}

/** Splits `shape` at reduced leading axes into rows × columns, or undefined when the axes are not the leading ones. */
function leadingReduction(shape: readonly number[], axis: number | number[] | null | undefined): { rows: number; columns: number; kept: number[] } | undefined {
  const axes = tf.util.parseAxisParam(axis ?? shape.map((_, i) => i), [...shape]).sort((x, y) => x - y);
  if (axes.length === 0 || axes.length === shape.length || axes.some((ax, i) => ax !== i)) return undefined;
  return { rows: size(shape.slice(0, axes.length)), columns: size(shape.slice(axes.length)), kept: shape.slice(axes.length) };
}

/** Sum / Mean over leading axes of float32 data with columns a multiple of 4. */
function reduceKernel(mean: boolean): Wrap {
  return wrapWith((args, backend) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    if (x.dtype !== 'float32') return undefined;
    const split = leadingReduction(x.shape, axis);
    if (split === undefined || split.columns % 4 !== 0) return undefined;
    const shape = keepDims ? [...x.shape.slice(0, x.shape.length - split.kept.length).map(() => 1), ...split.kept] : split.kept;
    const out = backend.makeOutput(shape, 'float32');
    studioKernels(backend)!.exports['channelSums']!(offset(backend, x), offset(backend, out), split.rows, split.columns);
    if (mean) {
      const values = backend.typedArrayFromHeap(out) as Float32Array;
      for (let j = 0; j < values.length; j++) values[j] = values[j]! / split.rows;
    }
    return out;
  });
}

const leakyReluKernel: Wrap = wrapWith((args, backend) => {
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype !== 'float32') return undefined;
  const out = backend.makeOutput([...x.shape], 'float32');
  const { alpha } = args.attrs as unknown as tf.LeakyReluAttrs;
  const [x0, out0] = [offset(backend, x), offset(backend, out)];
  parallelElements(studioKernels(backend)!, size(x.shape), (from, to) => ({ fn: 'leakyRelu', args: [x0 + from * 4, out0 + from * 4, to - from, alpha] }));
  return out;
});

/** FusedBatchNorm with per-channel statistics: one pass of (x − mean)·(scale/√(var+ε)) + offset. */
const batchNormKernel: Wrap = wrapWith((args, backend) => {
  const { x, mean, variance, offset: shift, scale } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const { varianceEpsilon } = args.attrs as unknown as tf.FusedBatchNormAttrs;
  const c = x!.shape[x!.shape.length - 1]!;
  const perChannel = [mean, variance, shift, scale].every((t) => t === undefined || (t.dtype === 'float32' && size(t.shape) === c));
  if (x!.dtype !== 'float32' || c % 4 !== 0 || !perChannel) return undefined;
  const out = backend.makeOutput([...x!.shape], 'float32');
  const params = backend.makeOutput([3 * c], 'float32');
  const p = backend.typedArrayFromHeap(params) as Float32Array;
  const read = (t: tf.TensorInfo | undefined) => (t === undefined ? undefined : (backend.typedArrayFromHeap(t) as Float32Array));
  const [m, v, o, s] = [read(mean), read(variance), read(shift), read(scale)];
  for (let j = 0; j < c; j++) {
    p[j] = m![j]!;
    p[c + j] = (s?.[j] ?? 1) / Math.sqrt(v![j]! + varianceEpsilon);
    p[2 * c + j] = o?.[j] ?? 0;
  }
  const [x0, p0, out0] = [offset(backend, x!), offset(backend, params), offset(backend, out)];
  parallelRowsOf(studioKernels(backend)!, size(x!.shape) / c, c, (from, to) => ({ fn: 'affineChannels', args: [x0 + from * c * 4, p0, out0 + from * c * 4, to - from, c] }));
  backend.disposeData(params.dataId);
  return out;
});

/** Square as x·x in one pass (tfjs's wasm Square is a scalar loop; Adam squares every gradient). */
const squareKernel: Wrap = wrapWith((args, backend) => {
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype !== 'float32') return undefined;
  const out = backend.makeOutput([...x.shape], 'float32');
  const [x0, out0] = [offset(backend, x), offset(backend, out)];
  const fn = binaryName('mul', 'same', false);
  parallelElements(studioKernels(backend)!, size(x.shape), (from, to) => ({ fn, args: [x0 + from * 4, x0 + from * 4, out0 + from * 4, to - from] }));
  return out;
});

/** The output shares x's data (refcounted) instead of a copy. */
function shared(backend: WasmBackendLike, x: tf.TensorInfo): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/** Identity without a copy. */
const identityKernel: Wrap = wrapWith((args, backend) => {
  const { x } = args.inputs as { x: tf.TensorInfo };
  return x.dtype === 'string' ? undefined : shared(backend, x);
});

/** A cast to the dtype x already has (tf.moments casts to float32 every step) without a copy. */
const castKernel: Wrap = wrapWith((args, backend) => {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { dtype } = args.attrs as unknown as tf.CastAttrs;
  return x.dtype === 'string' || dtype !== x.dtype ? undefined : shared(backend, x);
});

/** The kernels this module wraps, by name. */
export const ELEMENTWISE_WRAPPERS: Record<string, Wrap> = {
  [tf.Add]: binaryKernel('add'),
  [tf.Sub]: binaryKernel('sub'),
  [tf.Multiply]: binaryKernel('mul'),
  [tf.RealDiv]: binaryKernel('div'),
  [tf.Sum]: reduceKernel(false),
  [tf.Mean]: reduceKernel(true),
  [tf.LeakyRelu]: leakyReluKernel,
  [tf.Square]: squareKernel,
  [tf.FusedBatchNorm]: batchNormKernel,
  [tf.Identity]: identityKernel,
  [tf.Cast]: castKernel,
};
