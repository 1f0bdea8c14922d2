/**
 * The stride-1 correlation engine the phase split (conv-phases.ts) runs on.
 *
 * STAND-IN until winograd.ts lands: the same three exports, computed by the
 * direct float64 references of correlation.ts on the heap (slow: JavaScript).
 * Merging swaps this file for `export { correlate, correlateFilterGradient,
 * winogradPays } from './winograd'`.
 */
import type { WasmBackendLike } from '../kernel-ops';
import type { Correlation } from './correlation';
import { correlateFilterGradientReference, correlateReference } from './correlation';
import type { SimdKernels } from './simd-runtime';

const heapOf = (kernels: SimdKernels): Float32Array => new Float32Array(kernels.memory.buffer);

/** out (+)= the correlation of c.input with c.filter. */
export function correlate(_backend: WasmBackendLike, kernels: SimdKernels, c: Correlation): void {
  correlateReference(heapOf(kernels), c);
}

/** filter (+)= the correlation of c.input with dy (read through c.output). */
export function correlateFilterGradient(_backend: WasmBackendLike, kernels: SimdKernels, c: Correlation): void {
  correlateFilterGradientReference(heapOf(kernels), c);
}

/** Whether the Winograd kernels beat the direct ones on this correlation. */
export function winogradPays(c: Correlation): boolean {
  return c.filterHeight >= 2 && c.filterWidth >= 2 && c.inChannels >= 8 && c.outChannels >= 8;
}
