/**
 * Kernel configs that route tfjs's convolution and matmul kernels to the
 * studio's SIMD kernels (conv-ops.ts) on NHWC float32 data, and hand
 * everything else (other layouts, fused activations) to the kernel they wrap.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-ops';
import { release, runWasmKernel } from '../kernel-ops';
import * as ops from './conv-ops';
import type { ConvGeometry } from './conv-ops';
import { simdKernelsFor } from './simd-runtime';
import type { SimdKernels } from './simd-runtime';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown };

/** The studio's kernels for this backend (undefined: tfjs's own run). */
export const studioKernels = (backend: unknown): SimdKernels | undefined => simdKernelsFor(backend);

/** tfjs's Conv2DInfo as the SIMD ops' geometry. */
export function geometryOf(info: tf.backend_util.Conv2DInfo): ConvGeometry {
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

interface ForwardAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
}

function forwardInfo(x: tf.TensorInfo, filter: tf.TensorInfo, attrs: ForwardAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
}

const float32 = (...infos: (tf.TensorInfo | undefined)[]) => infos.every((i) => i === undefined || i.dtype === 'float32');

/** Activations a FusedConv2D may carry that run as tfjs's own unary kernel after ours. */
const ACTIVATION_KERNELS: Record<string, string> = { relu: tf.Relu, relu6: tf.Relu6, sigmoid: tf.Sigmoid, elu: tf.Elu, leakyrelu: tf.LeakyRelu };

/**
 * Conv2D and FusedConv2D: ours on NHWC float32 (bias folded into the
 * product; an activation then runs as its own kernel), else the wrapped
 * kernel (prelu, other layouts and dtypes).
 */
export function makeConv2DConfig(builtin: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const attrs = args.attrs as unknown as ForwardAttrs;
    const kernels = studioKernels(args.backend);
    const activation = attrs.activation === undefined || attrs.activation === 'linear' ? undefined : ACTIVATION_KERNELS[attrs.activation];
    const supported = activation !== undefined || attrs.activation === undefined || attrs.activation === 'linear';
    // A bias is one value per output channel (anything broadcast otherwise goes to tfjs).
    const perChannelBias = bias === undefined || (bias.shape.length === 1 && bias.shape[0] === filter!.shape[3]);
    const info = forwardInfo(x!, filter!, attrs);
    const ours = supported && preluActivationWeights === undefined && perChannelBias && float32(x, filter, bias);
    if (kernels === undefined || !ours || info.dataFormat !== 'channelsLast') {
      return builtin.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
    }
    const backend = args.backend as WasmBackendLike;
    const out = ops.conv2d(backend, kernels, x!, filter!, bias, geometryOf(info));
    if (activation === undefined) return out;
    const alpha = (attrs as { leakyreluAlpha?: number }).leakyreluAlpha ?? 0.2;
    const activated = runWasmKernel(backend, activation, { x: out }, { alpha });
    release(backend, out);
    return activated;
  };
  return { ...builtin, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
