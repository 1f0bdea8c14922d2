/**
 * One loader per backend: make it available to tf (requiring optional
 * packages only here, lazily) and return its tf backend name and device.
 * A loader throws BackendUnavailable with the user-facing skip reason.
 */
import * as tf from '@tensorflow/tfjs';
import type * as TfjsBackendWasm from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { BackendName } from '../../shared/backends';
import { registerFastCpuKernels } from './cpu-kernels';
import { CUDA_MISSING_REASON, isCudaLoadError, missingCudaLibraries } from './cuda';
import { BackendUnavailable } from './errors';
import { polyfillNodeUtil } from './node-util-polyfill';
import { installLazyFusedGradients } from './wasm/lazy-fused-gradients';
import { registerWasmTrainingKernels } from './wasm/register';
import { startSimdKernels } from './wasm/simd/simd-runtime';
import { startWasm, wasmThreadCount } from './wasm/threads';
import { convSetting } from './wasm/simd/conv-phases';
import { loadWebgpu } from './webgpu/load';

/** A backend made available to tf: its registered tf name and (once active) the device it runs on. */
export interface LoadedBackend {
  tfName: string;
  device(): string;
}

const requireOptional = createRequire(import.meta.url);

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.trim() || 'unknown error';
}

function ensureInstalled(pkg: string): void {
  try {
    requireOptional.resolve(pkg);
  } catch {
    throw new BackendUnavailable(`not installed (npm package ${pkg})`);
  }
}

function loadTfjsNode(pkg: '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu', gpu: boolean): LoadedBackend {
  ensureInstalled(pkg);
  if (gpu) {
    const missing = missingCudaLibraries();
    if (missing.length > 0) throw new BackendUnavailable(`${CUDA_MISSING_REASON} (${missing.join(', ')})`);
  }
  polyfillNodeUtil();
  try {
    requireOptional(pkg);
  } catch (err) {
    const text = errorText(err);
    throw new BackendUnavailable(gpu && isCudaLoadError(text) ? `${CUDA_MISSING_REASON}: ${text}` : text);
  }
  const cpu = `CPU (libtensorflow, ${os.availableParallelism()} cores)`;
  if (!gpu) return { tfName: 'tensorflow', device: () => cpu };
  // libtensorflow falls back to the CPU when the driver sees no GPU: say so rather than claim CUDA.
  const usingGpu = () => (tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
  return { tfName: 'tensorflow', device: () => (usingGpu() ? 'GPU (CUDA, libtensorflow)' : `${cpu}; no CUDA device visible`) };
}

let wasmPathsSet = false;

async function loadWasm(): Promise<LoadedBackend> {
  ensureInstalled('@tensorflow/tfjs-backend-wasm');
  // Required lazily: importing the package registers 'wasm' above 'cpu' in
  // tf's priority list, which would change the default backend for everyone.
  const wasm = requireOptional('@tensorflow/tfjs-backend-wasm') as typeof TfjsBackendWasm;
  if (!wasmPathsSet) {
    // Emscripten looks for the .wasm next to the running script, which is
    // wrong once bundled; point it at the package's own dist/ folder.
    const dist = path.join(path.dirname(requireOptional.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    wasm.setWasmPaths(dist + path.sep);
    wasmPathsSet = true;
  }
  registerWasmTrainingKernels();
  installLazyFusedGradients();
  if (tf.getKernel(tf.Conv2DBackpropFilter, 'wasm') === undefined) {
    throw new BackendUnavailable('the wasm backend lacks a Conv2DBackpropFilter kernel');
  }
  // Bad settings are refused here, by name, rather than in the first conv of a step.
  convSetting();
  const { threads, threadsFailed } = await startWasm(wasm, wasmThreadCount());
  const { kernels, poolFailed } = await startSimdKernels(tf.backend(), threads);
  const failed = [threadsFailed && `threads failed: ${threadsFailed}`, poolFailed && `kernel threads failed: ${poolFailed}`].filter(Boolean);
  const simd = kernels === undefined ? 'XNNPACK' : `studio kernels (${kernels.kind}) + XNNPACK`;
  const device = `CPU (WebAssembly, ${simd}, ${threads === 1 ? 'single thread' : `${threads} threads`}${failed.map((f) => `; ${f}`).join('')})`;
  return { tfName: 'wasm', device: () => device };
}

/** How a loader is asked. */
export interface LoadOptions {
  /** Accept a software GPU adapter (CPU emulation, slower than wasm): only when the user named the backend. */
  softwareGpu: boolean;
}

/** Loaders in the order selectBackend tries them. */
export const LOADERS: Record<BackendName, (options: LoadOptions) => LoadedBackend | Promise<LoadedBackend>> = {
  'tfjs-node-gpu': () => loadTfjsNode('@tensorflow/tfjs-node-gpu', true),
  webgpu: ({ softwareGpu }) => loadWebgpu(softwareGpu),
  'tfjs-node': () => loadTfjsNode('@tensorflow/tfjs-node', false),
  wasm: loadWasm,
  cpu: () => {
    // tfjs's own cpu Conv2DBackpropFilter reads element by element; the engine's NHWC one is ~7× faster.
    registerFastCpuKernels();
    // PROD silences tfjs's "install tfjs-node" console banner; the backend report already says why it was skipped.
    tf.env().set('PROD', true);
    return { tfName: 'cpu', device: () => 'CPU (pure JavaScript, single thread)' };
  },
};
