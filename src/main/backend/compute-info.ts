/**
 * What the current backend computes with, for benchmark rows: its thread
 * count and, on wasm, the instruction set of the studio's kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { simdKernelsFor } from './wasm/simd/simd-runtime';
import type { SimdKind } from './wasm/simd/simd-runtime';

/** Threads and SIMD kind; null where a backend does not say (GPU, libtensorflow). */
export interface ComputeInfo {
  threads: number | null;
  /** wasm: the studio kernels' SIMD kind, or 'none' when they are off (GAN_STUDIO_WASM_SIMD=off: tfjs's kernels only). */
  simd: SimdKind | 'none' | null;
}

export function computeInfo(): ComputeInfo {
  const name = tf.getBackend();
  if (name === 'cpu') return { threads: 1, simd: null };
  if (name !== 'wasm') return { threads: null, simd: null };
  const backend = tf.backend() as unknown as { wasm: { tfjs: { getThreadsCount(): number } } };
  return { threads: backend.wasm.tfjs.getThreadsCount(), simd: simdKernelsFor(backend)?.kind ?? 'none' };
}
