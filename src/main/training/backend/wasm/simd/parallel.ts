/**
 * Splits a kernel call across the studio's kernel threads (single-threaded for now).
 */
import type { SimdKernels } from './simd-runtime';

/** One kernel call: an export's name and its arguments. */
export interface KernelCall {
  fn: string;
  args: number[];
}

function run(kernels: SimdKernels, call: KernelCall): void {
  kernels.exports[call.fn]!(...call.args);
}

/** Runs `call(from, to)` over rows 0..rows. */
export function parallelRows(kernels: SimdKernels, rows: number, call: (from: number, to: number) => KernelCall): void {
  run(kernels, call(0, rows));
}

/** Runs `call(from, to)` over columns 0..columns. */
export function parallelColumns(kernels: SimdKernels, columns: number, call: (from: number, to: number) => KernelCall): void {
  run(kernels, call(0, columns));
}
