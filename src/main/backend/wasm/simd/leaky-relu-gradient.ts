/**
 * LeakyReLU's gradient in one pass on wasm. tfjs's gradient is
 * where(x > 0, dy, dy·α): four kernels (Greater, Multiply, Select and a
 * broadcast) and three full-size temporaries per layer per step. While the
 * wasm backend with the studio's kernels trains, the gradient runs the
 * studio's own kernel instead — the same values (dy where x > 0, else dy·α in
 * float32) — and every other backend keeps tfjs's gradient.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-ops';
import { studioKernels } from './conv-kernels';
import { parallelElements } from './parallel';

/** The kernel the gradient runs on wasm: inputs {dy, x}, attrs {alpha}. */
export const LEAKY_RELU_GRAD = 'StudioLeakyReluGrad';

function leakyReluGrad(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { dy, x } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const { alpha } = args.attrs as unknown as tf.LeakyReluAttrs;
  const out = backend.makeOutput([...x.shape], 'float32');
  const n = x.shape.reduce((a, b) => a * b, 1);
  const [dy0, x0, out0] = [dy, x, out].map((t) => backend.getMemoryOffset(t.dataId)) as [number, number, number];
  // Elements are independent: split across the kernel threads for large layers, same bits.
  parallelElements(studioKernels(backend)!, n, (from, to) => ({ fn: 'leakyReluGrad', args: [dy0 + from * 4, x0 + from * 4, out0 + from * 4, to - from, alpha] }));
  return out;
}

/** Kernel config registered for backend 'wasm'. */
export const leakyReluGradConfig: tf.KernelConfig = {
  kernelName: LEAKY_RELU_GRAD,
  backendName: 'wasm',
  kernelFunc: leakyReluGrad as unknown as tf.KernelFunc,
};

let installed = false;

/**
 * The gradient's own gradient (R1 and other double backprops need it): the
 * gradient is linear in dy with the same mask, so its dy-gradient is the same
 * kernel applied to the incoming gradient; in x it is piecewise constant.
 */
const leakyReluGradGradient: tf.GradConfig = {
  kernelName: LEAKY_RELU_GRAD,
  inputsToSave: ['x'],
  gradFunc: (g, saved, attrs) => {
    const [x] = saved as tf.Tensor[];
    return {
      dy: () => tf.engine().runKernel(LEAKY_RELU_GRAD, { dy: g as tf.Tensor, x: x! }, attrs) as tf.Tensor,
      x: () => tf.zerosLike(x!),
    };
  },
};

/** Routes LeakyRelu's registered gradient to the one-pass kernel on wasm (idempotent). */
export function installLeakyReluGradient(): void {
  if (installed) return;
  if (tf.getGradient(LEAKY_RELU_GRAD) === undefined) tf.registerGradient(leakyReluGradGradient);
  const config = tf.getGradient(tf.LeakyRelu);
  if (config === undefined) return;
  const original = config.gradFunc;
  config.gradFunc = (dy, saved, attrs) => {
    const [x] = saved as tf.Tensor[];
    const ours =
      tf.getBackend() === 'wasm' && studioKernels(tf.backend()) !== undefined && x!.dtype === 'float32' && (dy as tf.Tensor).dtype === 'float32';
    if (!ours) return original(dy, saved, attrs);
    const { alpha } = attrs as unknown as tf.LeakyReluAttrs;
    return { x: () => tf.engine().runKernel(LEAKY_RELU_GRAD, { dy: dy as tf.Tensor, x: x! }, { alpha }) as tf.Tensor };
  };
  installed = true;
}
