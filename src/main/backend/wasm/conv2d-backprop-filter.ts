/**
 * Conv2DBackpropFilter for the wasm backend, which ships none (so convnets
 * cannot train on it out of the box).
 *
 * The filter gradient dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·sh+kh−pt, ow·sw+kw−pl, ci]·dy[n,oh,ow,co]
 * is itself a convolution: take x transposed to [Ci,H,W,N] as the "batch of
 * images", dy transposed to [OH,OW,N,Co] as the "filter", dilate that filter
 * by the forward stride and run one stride-1 XNNPACK Conv2D. Its output
 * [Ci,KH,KW,Co] transposes to the HWIO gradient. Where the forward conv never
 * read the last rows/columns of x (valid padding, stride not dividing), the
 * bottom padding comes out negative and convInfo crops them instead.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from './kernel-ops';
import { convInfo, forwardConvInfo, release, transposeInfo } from './kernel-ops';
import { conv2dBackpropFilter as simdConv2dBackpropFilter } from './simd/conv-ops';
import { geometryOf, studioKernels } from './simd/conv-kernels';

function conv2dBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
  backend: unknown;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const info = forwardConvInfo('Conv2DBackpropFilter', x.shape as [number, number, number, number], attrs.filterShape, attrs);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { outHeight: oh, outWidth: ow, inHeight: h, inWidth: w } = info;
  const simd = studioKernels(backend);
  if (simd !== undefined && x.dtype === 'float32' && dy.dtype === 'float32') {
    return simdConv2dBackpropFilter(backend, simd, x, dy, geometryOf(info));
  }
  // Without the studio's SIMD kernels: one XNNPACK conv.
  const { top, left } = info.padInfo;
  // Rows past the last one the forward window touched must not contribute.
  const bottom = kh + (oh - 1) * sh - h - top;
  const right = kw + (ow - 1) * sw - w - left;

  const xT = transposeInfo(backend, x, [3, 1, 2, 0]);
  const dyT = transposeInfo(backend, dy, [1, 2, 0, 3]);
  const grad = convInfo(backend, xT, dyT, [sh, sw], [
    [top, bottom],
    [left, right],
  ]);
  release(backend, xT, dyT);
  const out = transposeInfo(backend, grad, [1, 2, 0, 3]);
  release(backend, grad);
  return out;
}

/** Kernel config registered for backend 'wasm'. */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
