/**
 * Test helpers: run the same computation on the wasm and cpu backends from
 * identical input values and measure how far apart they are.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../select';

/** Activates wasm with the studio's training kernels (as selectBackend does). */
export async function useWasm(): Promise<void> {
  await selectBackend({ forced: 'wasm' });
}

/** Deterministic pseudo-random values in [-1, 1) (same on every backend). */
export function seededValues(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

/** max |a − b| / max |b|: the error relative to the reference's scale. */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let err = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    err = Math.max(err, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return err / (scale || 1);
}

/** Runs `compute` on `backend` and returns its outputs as plain arrays (no tensors left behind). */
export async function runOn(backend: 'wasm' | 'cpu', compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  if (backend === 'wasm') await useWasm();
  else await tf.setBackend('cpu');
  const outs = compute();
  const data = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return data;
}
