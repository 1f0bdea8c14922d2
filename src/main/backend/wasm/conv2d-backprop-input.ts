/**
 * Conv2DBackpropInput for the wasm backend (also the forward pass of
 * Conv2DTranspose). The built-in kernel is a scalar loop; this one runs on
 * XNNPACK by sub-pixel (phase) decomposition.
 *
 * For a forward stride s, output row h of dx only meets filter rows kh with
 * kh ≡ h + pt (mod s). Grouping dx rows by residue a = h mod s therefore
 * gives s independent stride-1 correlations of dy with a slice of the
 * reversed filter (every s-th row). s_h·s_w such convs, each of 1/(s_h·s_w)
 * of the work, are scattered back into dx — no zero-insertion, no wasted
 * multiplies.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from './kernel-ops';
import { convInfo, forwardConvInfo, release, runWasmKernel, transposeInfo } from './kernel-ops';
import { conv2dBackpropInput as simdConv2dBackpropInput } from './simd/conv-ops';
import { geometryOf, studioKernels } from './simd/conv-kernels';

/** Geometry of one phase along one spatial axis. */
interface Phase {
  /** dx positions in this phase: a, a+s, a+2s, … (below `size`). */
  count: number;
  /** Filter taps in this phase (0 when the kernel is smaller than the stride). */
  taps: number;
  /** First tap's index in the spatially reversed filter. */
  tapStart: number;
  /** Padding (negative: crop) of dy for the stride-1 correlation. */
  padBefore: number;
  padAfter: number;
}

/**
 * dx positions h = a + i·s along one axis. Writing h + pad = q·s + r, the taps
 * that reach h are kh = r + j·s, each meeting dy position q − j: a stride-1
 * correlation of dy (starting at q_min − taps + 1) with those taps reversed.
 */
function phaseAlongAxis(a: number, size: number, kernel: number, stride: number, padBefore: number, dySize: number): Phase {
  const count = a < size ? Math.ceil((size - a) / stride) : 0;
  const r = (a + padBefore) % stride;
  const qMin = Math.floor((a + padBefore) / stride);
  const taps = r < kernel ? Math.ceil((kernel - r) / stride) : 0;
  return {
    count,
    taps,
    tapStart: kernel - 1 - r - (taps - 1) * stride,
    padBefore: taps - 1 - qMin,
    padAfter: qMin + count - 1 - (dySize - 1),
  };
}

function conv2dBackpropInput(args: {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
  backend: unknown;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const info = forwardConvInfo('Conv2DBackpropInput', attrs.inputShape, filter.shape as [number, number, number, number], attrs);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const simd = studioKernels(backend);
  if (simd !== undefined && dy.dtype === 'float32' && filter.dtype === 'float32') {
    return simdConv2dBackpropInput(backend, simd, dy, filter, geometryOf(info));
  }

  // Without the studio's SIMD kernels: XNNPACK phases.
  // [KH,KW,Ci,Co] → reversed in space, in/out swapped: a correlation filter over dy.
  const swapped = transposeInfo(backend, filter, [0, 1, 3, 2]);
  const reversed = runWasmKernel(backend, tf.Reverse, { x: swapped }, { dims: [0, 1] });
  release(backend, swapped);

  if (sh === 1 && sw === 1) {
    const ph = phaseAlongAxis(0, h, kh, 1, info.padInfo.top, info.outHeight);
    const pw = phaseAlongAxis(0, w, kw, 1, info.padInfo.left, info.outWidth);
    const out = phaseOutput(backend, dy, reversed, ph, pw, [1, 1], [ci, co]);
    release(backend, reversed);
    return out;
  }
  const out = backend.makeOutput([n, h, w, ci], 'float32');
  for (let a = 0; a < sh; a++) {
    const ph = phaseAlongAxis(a, h, kh, sh, info.padInfo.top, info.outHeight);
    for (let b = 0; b < sw; b++) {
      const pw = phaseAlongAxis(b, w, kw, sw, info.padInfo.left, info.outWidth);
      if (ph.count === 0 || pw.count === 0) continue;
      const part = ph.taps === 0 || pw.taps === 0 ? undefined : phaseOutput(backend, dy, reversed, ph, pw, [sh, sw], [ci, co]);
      // Views taken after the phase's allocations: heap growth detaches older ones.
      const dst = backend.typedArrayFromHeap(out) as Float32Array;
      const src = part === undefined ? undefined : (backend.typedArrayFromHeap(part) as Float32Array);
      scatterPhase(dst, src, { n, h, w, c: ci }, [a, b], [sh, sw], [ph.count, pw.count]);
      if (part !== undefined) release(backend, part);
    }
  }
  release(backend, reversed);
  return out;
}

/**
 * Writes phase (a, b)'s [n, na, nb, c] result into dx rows a, a+sh, … and
 * columns b, b+sw, … (zeros when the phase has no filter taps).
 */
function scatterPhase(
  dst: Float32Array,
  src: Float32Array | undefined,
  dims: { n: number; h: number; w: number; c: number },
  [a, b]: [number, number],
  [sh, sw]: [number, number],
  [na, nb]: [number, number],
): void {
  const { n, h, w, c } = dims;
  for (let img = 0; img < n; img++) {
    for (let i = 0; i < na; i++) {
      const rowStart = (img * h + a + i * sh) * w;
      for (let j = 0; j < nb; j++) {
        const d = (rowStart + b + j * sw) * c;
        if (src === undefined) {
          dst.fill(0, d, d + c);
          continue;
        }
        const s = ((img * na + i) * nb + j) * c;
        // subarray+set pays off for wide pixels; a plain loop wins for a few channels.
        if (c >= 16) {
          dst.set(src.subarray(s, s + c), d);
        } else {
          for (let k = 0; k < c; k++) dst[d + k] = src[s + k]!;
        }
      }
    }
  }
}

/** One phase: a stride-1 conv of dy with every s-th tap of the reversed filter (taps > 0). */
function phaseOutput(
  backend: WasmBackendLike,
  dy: tf.TensorInfo,
  reversed: tf.TensorInfo,
  ph: Phase,
  pw: Phase,
  strides: [number, number],
  [ci, co]: [number, number],
): tf.TensorInfo {
  const [kh, kw] = reversed.shape as [number, number, number, number];
  const whole = ph.taps === kh && pw.taps === kw;
  const taps = whole
    ? reversed
    : runWasmKernel(
        backend,
        tf.StridedSlice,
        { x: reversed },
        {
          begin: [ph.tapStart, pw.tapStart, 0, 0],
          end: [ph.tapStart + (ph.taps - 1) * strides[0] + 1, pw.tapStart + (pw.taps - 1) * strides[1] + 1, co, ci],
          strides: [strides[0], strides[1], 1, 1],
          beginMask: 0,
          endMask: 0,
          ellipsisMask: 0,
          newAxisMask: 0,
          shrinkAxisMask: 0,
        },
      );
  const out = convInfo(backend, dy, taps, [1, 1], [
    [ph.padBefore, ph.padAfter],
    [pw.padBefore, pw.padAfter],
  ]);
  if (!whole) release(backend, taps);
  return out;
}

/** Kernel config registered for backend 'wasm'. */
export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as tf.KernelFunc,
};
