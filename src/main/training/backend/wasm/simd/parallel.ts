/**
 * Splits a kernel call across the studio's kernel threads. Splits never
 * change a result: rows split at multiples of the register tile and columns
 * at multiples of the widest column block, so every output element is
 * computed by the same instructions in the same order whatever the thread
 * count (the threads bit-for-bit test holds this).
 */
import type { KernelCall } from './kernel-pool';
import { TILE_COLUMNS, TILE_ROWS } from './gemm-kernels';
import type { SimdKernels } from './simd-runtime';

/** Below this many multiply-adds a call stays on one thread (waking a worker costs more). */
export const MIN_PARALLEL_WORK = 1 << 18;

function runHere(kernels: SimdKernels): (call: KernelCall) => void {
  return (call) => kernels.exports[call.fn]!(...call.args);
}

/** Cuts 0..units into at most `parts` ranges whose inner bounds are multiples of `align`. */
export function splitRange(units: number, parts: number, align: number): [number, number][] {
  const blocks = Math.ceil(units / align);
  const per = Math.ceil(blocks / Math.max(1, Math.min(parts, blocks)));
  const out: [number, number][] = [];
  for (let b = 0; b < blocks; b += per) out.push([b * align, Math.min(units, (b + per) * align)]);
  return out;
}

function parallel(kernels: SimdKernels, units: number, align: number, work: number, call: (from: number, to: number) => KernelCall): void {
  const pool = kernels.pool;
  if (pool === undefined || work < MIN_PARALLEL_WORK || units <= align) {
    runHere(kernels)(call(0, units));
    return;
  }
  const calls = splitRange(units, pool.threads, align).map(([from, to]) => call(from, to));
  if (calls.length === 1) runHere(kernels)(calls[0]!);
  else pool.run(calls, runHere(kernels));
}

/** Runs `call(from, to)` over output rows 0..rows (`work`: multiply-adds in all). */
export function parallelRows(kernels: SimdKernels, rows: number, work: number, call: (from: number, to: number) => KernelCall): void {
  parallel(kernels, rows, TILE_ROWS, work, call);
}

/** Runs `call(from, to)` over output columns 0..columns (`work`: multiply-adds in all). */
export function parallelColumns(kernels: SimdKernels, columns: number, work: number, call: (from: number, to: number) => KernelCall): void {
  parallel(kernels, columns, TILE_COLUMNS, work, call);
}
