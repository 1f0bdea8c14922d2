/**
 * Picks the gemm kernel for a product's shape, so few channels do not waste
 * the register tile:
 * - few input channels per tap (K < 4: an RGB or grayscale image, a
 *   one-channel dy): the taps' rows are gathered into contiguous rows first
 *   (a small im2col), so the kernel sees one tap of T·K values;
 * - few output columns (N < 4: the image a generator draws, its gradient):
 *   dot products along k (gemmRowsDot / gemmColumnsDot) instead of vectors
 *   along n;
 * - otherwise gemmRows / gemmColumnsPacked as they are.
 * Scratch lives on the wasm heap and is freed when the op ends.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-ops';
import { parallel, parallelRows, threadsOf } from './parallel';
import type { KernelCall } from './kernel-pool';
import type { SimdKernels } from './simd-runtime';
import { contiguousRows, memoryOf } from './table-cache';

/** Heap scratch for one op, freed together. */
export interface Scratch {
  alloc(shape: number[], dtype: 'float32' | 'int32'): tf.TensorInfo;
  release(): void;
}

export function scratch(backend: WasmBackendLike): Scratch {
  const infos: tf.TensorInfo[] = [];
  return {
    alloc(shape, dtype) {
      const info = backend.makeOutput(shape, dtype);
      infos.push(info);
      return info;
    },
    release() {
      for (const info of infos) backend.disposeData(info.dataId);
    },
  };
}

export const address = (backend: WasmBackendLike, info: tf.TensorInfo): number => backend.getMemoryOffset(info.dataId);

/**
 * A product's input: rows read through the table at `ind` ([P][T] byte
 * offsets from `base`, −1 for the zero row at `zero`), `K` values per tap,
 * `N` output columns.
 */
export interface Product {
  ind: number;
  base: number;
  zero: number;
  P: number;
  T: number;
  K: number;
  N: number;
}

const FEW = 4;
/** Bytes of weights one pass of gemmRows streams per row tile (about L2). */
const WEIGHT_CHUNK_BYTES = 256 * 1024;
/** Bytes of dy one gemmColumnsPacked chunk keeps in cache… */
const DY_CHUNK_BYTES = 256 * 1024;
/** …and of one tap's packed input rows (per thread). */
const PACK_CHUNK_BYTES = 64 * 1024;

/** Gathers the taps' rows into one contiguous [P][T·K] block (when K is too small for the tile). */
function gathered(backend: WasmBackendLike, kernels: SimdKernels, s: Scratch, prod: Product): Product {
  if (prod.K >= FEW || prod.T === 1) return prod;
  const rowFloats = prod.T * prod.K;
  const block = address(backend, s.alloc([prod.P * rowFloats], 'float32'));
  kernels.exports['gatherRows']!(prod.ind, block, prod.P * prod.T, prod.K, prod.base, prod.zero);
  return { ind: contiguousRows(backend, prod.P, rowFloats), base: block, zero: prod.zero, P: prod.P, T: 1, K: rowFloats, N: prod.N };
}

/** [T·K][N] → [N][T·K] (the dot-product kernels read one output column's weights contiguously). */
function transposed(backend: WasmBackendLike, s: Scratch, from: tf.TensorInfo | number, rows: number, columns: number): number {
  const out = s.alloc([rows * columns], 'float32');
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const heap = new Float32Array(dst.buffer);
  const src = typeof from === 'number' ? from / 4 : address(backend, from) / 4;
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) dst[c * rows + r] = heap[src + r * columns + c]!;
  return address(backend, out);
}

/** Where a product's output rows go: row p at base + the offset at outInd[p]. */
export interface RowsOut {
  outInd: number;
  base: number;
}

/**
 * out rows = bias + Σ_t Σ_k in[p,t][k]·w[t][k][n]; `w` is the address of
 * [T][K][N] weights, bias an address or 0.
 */
export function rowsProduct(backend: WasmBackendLike, kernels: SimdKernels, s: Scratch, product: Product, out: RowsOut, w: number, bias: number): void {
  const prod = gathered(backend, kernels, s, product);
  const { ind, base, zero, P, T, K, N } = prod;
  const work = P * T * K * N;
  if (N < FEW && K % 4 === 0) {
    const wT = transposed(backend, s, w, T * K, N);
    parallelRows(kernels, P, work, (from, to) => ({ fn: 'gemmRowsDot', args: [ind, out.outInd, wT, bias, from, to, T, K, N, base, out.base, zero] }));
    return;
  }
  // Taps in chunks whose weights stay in cache while every row tile reads them.
  const chunk = Math.max(1, Math.floor(WEIGHT_CHUNK_BYTES / (K * N * 4)));
  for (let t0 = 0; t0 < T; t0 += chunk) {
    const t1 = Math.min(T, t0 + chunk);
    parallelRows(kernels, P, (work * (t1 - t0)) / T, (from, to) => ({
      fn: 'gemmRows',
      args: [ind, out.outInd, w, bias, from, to, T, K, N, base, out.base, zero, t0, t1, t0 > 0 ? 1 : 0],
    }));
  }
  if (T === 0) parallelRows(kernels, P, 0, (from, to) => ({ fn: 'gemmRows', args: [ind, out.outInd, w, bias, from, to, T, K, N, base, out.base, zero, 0, 0, 0] }));
}


/**
 * out[t][k][n] += Σ_p in[p,t][k]·dy[p][n] into `out` ([T][K][N], a tensor or
 * its address; zero-filled for the product alone); dy is [P][N] at `dy`.
 */
export function columnsProduct(backend: WasmBackendLike, kernels: SimdKernels, s: Scratch, product: Product, dy: number, out: tf.TensorInfo | number): void {
  const prod = gathered(backend, kernels, s, product);
  const { ind, base, zero, P, T, K, N } = prod;
  const work = P * T * K * N;
  const o = typeof out === 'number' ? out : address(backend, out);
  if (N < FEW && K % 4 === 0) {
    const outT = s.alloc([N * T * K], 'float32');
    (backend.typedArrayFromHeap(outT) as Float32Array).fill(0);
    kernels.exports['gemmColumnsDot']!(ind, dy, address(backend, outT), P, T, K, N, base, zero);
    const result = new Float32Array(memoryOf(backend), o, T * K * N);
    const byColumn = backend.typedArrayFromHeap(outT) as Float32Array;
    for (let r = 0; r < T * K; r++) for (let n = 0; n < N; n++) result[r * N + n]! += byColumn[n * T * K + r]!;
    return;
  }
  const chunk = Math.max(16, Math.min(Math.floor(DY_CHUNK_BYTES / 4 / Math.max(N, 1)), Math.floor(PACK_CHUNK_BYTES / 4 / K)));
  const pack = address(backend, s.alloc([threadsOf(kernels) * chunk * K], 'float32'));
  const packed = (tBegin: number, tEnd: number, kBegin: number, kEnd: number, part: number): KernelCall => ({
    fn: 'gemmColumnsPacked',
    args: [ind, dy, o, P, T, K, N, tBegin, tEnd, kBegin, kEnd, chunk, base, zero, pack + part * chunk * K * 4],
  });
  // Threads take whole taps when there are enough of them, else groups of 4 rows of each tap.
  if (T >= 4 * threadsOf(kernels)) parallel(kernels, T, 1, work, (from, to, part) => packed(from, to, 0, K, part));
  else parallel(kernels, K, 4, work, (from, to, part) => packed(0, T, from, to, part));
}
