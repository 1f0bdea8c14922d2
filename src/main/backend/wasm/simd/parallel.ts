/**
 * Splits a kernel call across the studio's kernel threads. Splits never
 * change a result: output rows split at multiples of the register tile, and
 * the filter gradient's rows by whole taps or groups of 4, so every output element is
 * computed by the same instructions in the same order whatever the thread
 * count (the threads bit-for-bit test holds this).
 */
import type { KernelCall } from './kernel-pool';
import { TILE_ROWS } from './gemm-kernels';
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

/** The most parts a split of `kernels`' calls can have (one per thread). */
export const threadsOf = (kernels: SimdKernels): number => kernels.pool?.threads ?? 1;

/**
 * Runs `call(from, to, part)` over 0..units split at multiples of `align`
 * (`work`: multiply-adds in all); `part` (< threadsOf(kernels)) numbers the
 * pieces, for per-thread scratch.
 */
export function parallel(kernels: SimdKernels, units: number, align: number, work: number, call: (from: number, to: number, part: number) => KernelCall): void {
  const pool = kernels.pool;
  if (pool === undefined || work < MIN_PARALLEL_WORK || units <= align) {
    runHere(kernels)(call(0, units, 0));
    return;
  }
  const calls = splitRange(units, pool.threads, align).map(([from, to], part) => call(from, to, part));
  if (calls.length === 1) runHere(kernels)(calls[0]!);
  else pool.run(calls, runHere(kernels));
}

/** Runs `call(from, to)` over output rows 0..rows (`work`: multiply-adds in all). */
export function parallelRows(kernels: SimdKernels, rows: number, work: number, call: (from: number, to: number) => KernelCall): void {
  parallel(kernels, rows, TILE_ROWS, work, call);
}

/**
 * Below this many elements a one-pass (memory-bound) kernel stays on one
 * thread: a pass over fewer floats takes about as long as waking a worker.
 */
export const MIN_PARALLEL_ELEMENTS = 1 << 16;

/**
 * Runs `call(from, to)` over elements 0..n of an elementwise kernel, split
 * at multiples of 4 (each element is computed alone, so any split gives the
 * same values).
 */
export function parallelElements(kernels: SimdKernels, n: number, call: (from: number, to: number) => KernelCall): void {
  parallel(kernels, n, 4, n < MIN_PARALLEL_ELEMENTS ? 0 : MIN_PARALLEL_WORK, call);
}

/**
 * Runs `call(from, to)` over rows 0..rows of `rowLength` elements each
 * (whole rows per thread: a row-broadcast kernel restarts its vector per row).
 */
export function parallelRowsOf(kernels: SimdKernels, rows: number, rowLength: number, call: (from: number, to: number) => KernelCall): void {
  parallel(kernels, rows, 1, rows * rowLength < MIN_PARALLEL_ELEMENTS ? 0 : MIN_PARALLEL_WORK, call);
}
