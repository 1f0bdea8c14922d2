/**
 * Registers the studio's wasm training kernels. Called before the wasm
 * backend initialises (and harmless to call again).
 *
 * - Conv2DBackpropFilter: tfjs has none for wasm; ours is added.
 * - Conv2DBackpropInput: tfjs's is a scalar loop; ours (XNNPACK phases) replaces it.
 * - Tile, BatchMatMul: ours wrap tfjs's, taking over the shapes a DCGAN step
 *   spends its time on and delegating the rest.
 */
import * as tf from '@tensorflow/tfjs';
import { makeBatchMatMulConfig } from './batch-mat-mul';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { makeConv2DConfig } from './simd/conv-kernels';
import { ELEMENTWISE_WRAPPERS } from './simd/elementwise-configs';
import { batchNormGradConfig, installBatchNormGradient } from './simd/batch-norm-gradient';
import { dropoutMaskConfig, installFastDropout } from './simd/fast-dropout';
import { adamUpdateConfig, installFusedAdam } from './simd/fused-adam';
import { installLeakyReluGradient, leakyReluGradConfig } from './simd/leaky-relu-gradient';
import { installReduceGradients } from './simd/reduce-gradients';
import { makeTileConfig } from './tile';

/** Kernels this module adds when tfjs has none (a future tfjs that ships one wins). */
const ADDED: readonly tf.KernelConfig[] = [conv2dBackpropFilterConfig, leakyReluGradConfig, batchNormGradConfig, adamUpdateConfig, dropoutMaskConfig];
/** Kernels that replace tfjs's outright. */
const REPLACED: readonly tf.KernelConfig[] = [conv2dBackpropInputConfig];
/** Kernels that wrap tfjs's own (which must exist) and delegate what they do not speed up. */
const WRAPPED: Record<string, (builtin: tf.KernelConfig) => tf.KernelConfig> = {
  [tf.Tile]: makeTileConfig,
  [tf.BatchMatMul]: makeBatchMatMulConfig,
  [tf.Conv2D]: makeConv2DConfig,
  [tf.FusedConv2D]: makeConv2DConfig,
  ...ELEMENTWISE_WRAPPERS,
};

/** The names of every kernel the studio registers for 'wasm'. */
export const WASM_TRAINING_KERNELS: readonly string[] = [
  ...ADDED.map((k) => k.kernelName),
  ...REPLACED.map((k) => k.kernelName),
  ...Object.keys(WRAPPED),
];

const ours = new Set<tf.KernelFunc>();

function register(config: tf.KernelConfig, replace: boolean): boolean {
  const existing = tf.getKernel(config.kernelName, 'wasm');
  if (existing !== undefined && (ours.has(existing.kernelFunc) || !replace)) return false;
  if (existing !== undefined) tf.unregisterKernel(config.kernelName, 'wasm');
  // Wrappers reuse tfjs's setupFunc, so the wrapped kernel is set up when the backend initialises.
  tf.registerKernel(config);
  ours.add(config.kernelFunc);
  return true;
}

/**
 * Makes the wasm backend training-capable and faster. Returns the names of
 * the kernels registered by this call; safe to call more than once.
 */
export function registerWasmTrainingKernels(): string[] {
  const registered: string[] = [];
  for (const config of ADDED) if (register(config, false)) registered.push(config.kernelName);
  for (const config of REPLACED) if (register(config, true)) registered.push(config.kernelName);
  for (const [name, wrap] of Object.entries(WRAPPED)) {
    const builtin = tf.getKernel(name, 'wasm');
    if (builtin === undefined || ours.has(builtin.kernelFunc)) continue;
    if (register(wrap(builtin), true)) registered.push(name);
  }
  installLeakyReluGradient();
  installBatchNormGradient();
  installReduceGradients();
  installFusedAdam();
  installFastDropout();
  return registered;
}
