/**
 * Conv2DBackpropInput for the wasm backend (also the forward pass of
 * Conv2DTranspose). The built-in kernel is a scalar loop; this one runs on
 * XNNPACK by sub-pixel (phase) decomposition.
 *
 * For a forward stride s, output row h of dx only meets filter rows kh with
 * kh ≡ h + pt (mod s). Grouping dx rows by residue a = h mod s therefore
 * gives s independent stride-1 correlations of dy with a slice of the
 * reversed filter (every s-th row). s_h·s_w such convs, each of 1/(s_h·s_w)
 * of the work, are interleaved back into dx — no zero-insertion, no wasted
 * multiplies.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from './kernel-ops';
import { convInfo, release, reshapeInfo, runWasmKernel, sliceInfo, transposeInfo } from './kernel-ops';

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
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') {
    throw new Error(`expected NHWC data for Conv2DBackpropInput on wasm, got ${attrs.dataFormat}`);
  }
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;

  // [KH,KW,Ci,Co] → reversed in space, in/out swapped: a correlation filter over dy.
  const swapped = transposeInfo(backend, filter, [0, 1, 3, 2]);
  const reversed = runWasmKernel(backend, tf.Reverse, { x: swapped }, { dims: [0, 1] });
  release(backend, swapped);

  const hc = Math.ceil(h / sh);
  const wc = Math.ceil(w / sw);
  const rows: tf.TensorInfo[] = [];
  for (let a = 0; a < sh; a++) {
    const ph = phaseAlongAxis(a, h, kh, sh, info.padInfo.top, info.outHeight);
    const cols: tf.TensorInfo[] = [];
    for (let b = 0; b < sw; b++) {
      const pw = phaseAlongAxis(b, w, kw, sw, info.padInfo.left, info.outWidth);
      const part = phaseOutput(backend, dy, reversed, ph, pw, [sh, sw], [n, ci, co]);
      // Pad every phase to a common size so they interleave by reshape.
      const padded = padTo(backend, part, hc, wc);
      if (sh * sw === 1) {
        cols.push(padded);
      } else {
        cols.push(reshapeInfo(backend, padded, [n, hc, wc, 1, ci]));
        release(backend, padded);
      }
    }
    rows.push(joinAxis(backend, cols, 3, [n, hc, 1, wc * sw, ci]));
  }
  release(backend, reversed);
  const joined = joinAxis(backend, rows, 2, [n, hc * sh, wc * sw, ci]);
  if (hc * sh === h && wc * sw === w) return joined;
  const out = sliceInfo(backend, joined, [0, 0, 0, 0], [n, h, w, ci]);
  release(backend, joined);
  return out;
}

/** One phase: a stride-1 conv of dy with every s-th tap of the reversed filter. */
function phaseOutput(
  backend: WasmBackendLike,
  dy: tf.TensorInfo,
  reversed: tf.TensorInfo,
  ph: Phase,
  pw: Phase,
  strides: [number, number],
  [n, ci, co]: [number, number, number],
): tf.TensorInfo {
  if (ph.count === 0 || pw.count === 0 || ph.taps === 0 || pw.taps === 0) {
    return runWasmKernel(backend, tf.Fill, {}, { shape: [n, ph.count, pw.count, ci], value: 0, dtype: 'float32' });
  }
  const taps = runWasmKernel(
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
  release(backend, taps);
  return out;
}

/** Zero-pads an NHWC phase output at the bottom/right to hc × wc. */
function padTo(backend: WasmBackendLike, x: tf.TensorInfo, hc: number, wc: number): tf.TensorInfo {
  const [, ph, pw] = x.shape as [number, number, number, number];
  if (ph === hc && pw === wc) return x;
  const out = runWasmKernel(
    backend,
    tf.PadV2,
    { x },
    {
      paddings: [
        [0, 0],
        [0, hc - ph],
        [0, wc - pw],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  release(backend, x);
  return out;
}

/** Concatenates along `axis` (or passes a single part through) and reshapes; frees the parts. */
function joinAxis(backend: WasmBackendLike, parts: tf.TensorInfo[], axis: number, shape: number[]): tf.TensorInfo {
  const joined = parts.length === 1 ? parts[0]! : runWasmKernel(backend, tf.Concat, parts as unknown as tf.NamedTensorInfoMap, { axis });
  const out = reshapeInfo(backend, joined, shape);
  release(backend, joined);
  if (parts.length > 1) release(backend, ...parts);
  return out;
}

/** Kernel config registered for backend 'wasm'. */
export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as tf.KernelFunc,
};
