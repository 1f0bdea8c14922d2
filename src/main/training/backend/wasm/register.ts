/**
 * Registers the studio's wasm training kernels. Called once the wasm backend
 * is selected; kernels tfjs already provides for 'wasm' are left alone, so a
 * future tfjs release that ships its own wins.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';

/** The kernels this module provides, in registration order. */
export const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [conv2dBackpropFilterConfig, conv2dBackpropInputConfig];

/** tfjs's own wasm Conv2DBackpropInput (a scalar loop) is replaced: ours is the fast path. */
const REPLACED = new Set<string>([tf.Conv2DBackpropInput]);

/**
 * Makes the wasm backend training-capable. Returns the names of the kernels
 * it (re)registered; safe to call more than once.
 */
export function registerWasmTrainingKernels(): string[] {
  const registered: string[] = [];
  for (const config of WASM_TRAINING_KERNELS) {
    const existing = tf.getKernel(config.kernelName, 'wasm');
    if (existing?.kernelFunc === config.kernelFunc) continue;
    if (existing !== undefined) {
      if (!REPLACED.has(config.kernelName)) continue;
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    tf.registerKernel(config);
    registered.push(config.kernelName);
  }
  return registered;
}
