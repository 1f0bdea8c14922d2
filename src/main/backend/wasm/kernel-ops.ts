/**
 * Small helpers that run built-in wasm kernels directly on the backend, the
 * way tfjs's own composite wasm kernels do. Working on TensorInfos (not
 * tf.Tensors) keeps the engine's tensor count untouched and lets a kernel
 * free its intermediates the moment they are consumed.
 */
import * as tf from '@tensorflow/tfjs';

/** The part of tfjs-backend-wasm's BackendWasm the training kernels use. */
export interface WasmBackendLike extends tf.KernelBackend {
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
  /** Allocates an output on the wasm heap (uninitialised). */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /**
   * A view of a tensor's heap memory. Views go stale when the heap grows, so
   * take them after the last allocation that precedes their use.
   */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  /** A tensor's byte offset in the wasm heap. */
  getMemoryOffset(dataId: tf.DataId): number;
  /** Adds a reference to existing data (an output that shares its input's memory). */
  incRef(dataId: tf.DataId): void;
}

/** Padding for one 2-D spatial conv: [top, bottom] and [left, right]. */
export type SpatialPadding = [[number, number], [number, number]];

/** Runs the wasm backend's built-in kernel `name` and returns its single output. */
export function runWasmKernel(
  backend: WasmBackendLike,
  name: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel === undefined) {
    throw new Error(`expected the wasm backend to provide a ${name} kernel, got none (is tfjs-backend-wasm 4.22.0 installed?)`);
  }
  const out = kernel.kernelFunc({ inputs, attrs, backend });
  if (Array.isArray(out)) {
    throw new Error(`expected one output from the wasm ${name} kernel, got ${out.length}`);
  }
  return out;
}

/** Frees intermediates made by runWasmKernel (refcounted, so shared data survives). */
export function release(backend: WasmBackendLike, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Transposes `x` by `perm`. */
export function transposeInfo(backend: WasmBackendLike, x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
  return runWasmKernel(backend, tf.Transpose, { x }, { perm });
}

/** Copies the box `begin`..`begin + size` out of `x`. */
function sliceInfo(backend: WasmBackendLike, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  return runWasmKernel(backend, tf.Slice, { x }, { begin, size });
}

/**
 * A stride-1 XNNPACK convolution of NHWC `x` with an HWIO `filter`, with the
 * given dilation and explicit spatial padding. Negative padding crops `x`
 * first (XNNPACK only pads), so callers can describe any window exactly.
 * When the crop leaves nothing, every window lies in the padding and the
 * result is zeros (XNNPACK rejects an empty input).
 */
export function convInfo(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  dilations: [number, number],
  padding: SpatialPadding,
): tf.TensorInfo {
  const [[top, bottom], [left, right]] = padding;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [kh, kw, , co] = filter.shape as [number, number, number, number];
  const cropTop = Math.max(0, -top);
  const cropLeft = Math.max(0, -left);
  const keepH = h - cropTop - Math.max(0, -bottom);
  const keepW = w - cropLeft - Math.max(0, -right);
  if (keepH <= 0 || keepW <= 0) {
    const outShape = [n, h + top + bottom - (kh - 1) * dilations[0], w + left + right - (kw - 1) * dilations[1], co];
    return runWasmKernel(backend, tf.Fill, {}, { shape: outShape, value: 0, dtype: 'float32' });
  }
  const cropped = keepH === h && keepW === w;
  const input = cropped ? x : sliceInfo(backend, x, [0, cropTop, cropLeft, 0], [n, keepH, keepW, c]);
  const pad: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [Math.max(0, top), Math.max(0, bottom)],
    [Math.max(0, left), Math.max(0, right)],
    [0, 0],
  ];
  const out = runWasmKernel(
    backend,
    tf.Conv2D,
    { x: input, filter },
    { strides: [1, 1], pad, dataFormat: 'NHWC', dilations, dimRoundingMode: 'floor' } as unknown as tf.NamedAttrMap,
  );
  if (!cropped) release(backend, input);
  return out;
}

/** The attributes both conv gradient kernels receive (the forward conv's geometry). */
interface ConvGradientAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * The forward convolution's geometry for a gradient kernel; these kernels
 * are written for NHWC only (all tf.layers convs are channels-last).
 */
export function forwardConvInfo(
  kernelName: string,
  inputShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: ConvGradientAttrs,
): tf.backend_util.Conv2DInfo {
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') {
    throw new Error(`expected NHWC data for ${kernelName} on wasm, got ${attrs.dataFormat}`);
  }
  return info;
}
