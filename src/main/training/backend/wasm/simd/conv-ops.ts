/**
 * Convolutions and matmuls on the studio's SIMD kernels (gemm-kernels.ts),
 * NHWC tensors on tfjs-backend-wasm's heap. Each builds its indirection
 * tables (which input row each output row reads, tap by tap) and runs one
 * kernel over them — no im2col copy, no zero-inserted upsampling, no
 * transposes of the activations.
 *
 * - conv2d: out[p] = Σ_taps x-row · filter[kh][kw] (HWIO is already [T][K][N]).
 * - conv2dBackpropInput: sub-pixel phases. dx rows with the same residue
 *   modulo the stride meet every stride-th filter row only; each phase is
 *   one gemmRows over its own taps with the filter transposed per tap.
 * - conv2dBackpropFilter: dW[t][ci][co] = Σ_p x-row(p, t)[ci] · dy[p][co],
 *   the forward conv's tables read by gemmColumns.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-ops';
import type { SimdKernels } from './simd-runtime';
import { address, columnsProduct, rowsProduct, scratch } from './gemm-dispatch';
import type { Scratch } from './gemm-dispatch';

/** A convolution's geometry (NHWC), as tfjs's Conv2DInfo gives it. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

/** A row of `length` zeros on the heap (what a tap in the padding reads). */
function zeroRow(backend: WasmBackendLike, s: Scratch, length: number): number {
  const info = s.alloc([Math.max(length, 1)], 'float32');
  (backend.typedArrayFromHeap(info) as Float32Array).fill(0);
  return address(backend, info);
}

/** The forward tables for x (shared by conv2d and conv2dBackpropFilter). */
function forwardTable(backend: WasmBackendLike, kernels: SimdKernels, s: Scratch, g: ConvGeometry, x: tf.TensorInfo): number {
  const pixels = g.batch * g.outHeight * g.outWidth;
  const zero = zeroRow(backend, s, g.inChannels);
  const ind = address(backend, s.alloc([pixels * g.filterHeight * g.filterWidth], 'int32'));
  kernels.exports['forwardTable']!(
    ind, address(backend, x), zero, g.batch, g.inHeight, g.inWidth, g.inChannels, g.outHeight, g.outWidth,
    g.filterHeight, g.filterWidth, g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth, g.padTop, g.padLeft,
  );
  return ind;
}

/** outInd[p] = out + p·rowBytes (contiguous output rows). */
function contiguousRows(backend: WasmBackendLike, s: Scratch, out: tf.TensorInfo, rows: number, rowFloats: number): number {
  const table = s.alloc([rows], 'int32');
  const view = backend.typedArrayFromHeap(table) as Int32Array;
  const base = address(backend, out);
  for (let p = 0; p < rows; p++) view[p] = base + p * rowFloats * 4;
  return address(backend, table);
}

/** NHWC conv2d with an HWIO filter and optional bias: [batch, outH, outW, outC]. */
export function conv2d(
  backend: WasmBackendLike,
  kernels: SimdKernels,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  bias: tf.TensorInfo | undefined,
  g: ConvGeometry,
): tf.TensorInfo {
  const out = backend.makeOutput([g.batch, g.outHeight, g.outWidth, g.outChannels], 'float32');
  const s = scratch(backend);
  try {
    const pixels = g.batch * g.outHeight * g.outWidth;
    const ind = forwardTable(backend, kernels, s, g, x);
    const outInd = contiguousRows(backend, s, out, pixels, g.outChannels);
    const product = { ind, P: pixels, T: g.filterHeight * g.filterWidth, K: g.inChannels, N: g.outChannels };
    rowsProduct(backend, kernels, s, product, outInd, address(backend, filter), bias === undefined ? 0 : address(backend, bias));
  } finally {
    s.release();
  }
  return out;
}

/** Filter gradient [KH, KW, inC, outC] of conv2d(x) given dy. */
export function conv2dBackpropFilter(
  backend: WasmBackendLike,
  kernels: SimdKernels,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  g: ConvGeometry,
): tf.TensorInfo {
  const out = backend.makeOutput([g.filterHeight, g.filterWidth, g.inChannels, g.outChannels], 'float32');
  const s = scratch(backend);
  try {
    const pixels = g.batch * g.outHeight * g.outWidth;
    const ind = forwardTable(backend, kernels, s, g, x);
    (backend.typedArrayFromHeap(out) as Float32Array).fill(0);
    const product = { ind, P: pixels, T: g.filterHeight * g.filterWidth, K: g.inChannels, N: g.outChannels };
    columnsProduct(backend, kernels, s, product, address(backend, dy), out);
  } finally {
    s.release();
  }
  return out;
}

/** Filter taps along one axis that reach dx positions ≡ a (mod stride). */
function phaseTaps(a: number, pad: number, stride: number, kernel: number): number[] {
  const taps: number[] = [];
  for (let k = (((a + pad) % stride) + stride) % stride; k < kernel; k += stride) taps.push(k);
  return taps;
}

/** dx [batch, inH, inW, inC] of conv2d given dy and the HWIO filter, phase by phase. */
export function conv2dBackpropInput(
  backend: WasmBackendLike,
  kernels: SimdKernels,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  g: ConvGeometry,
): tf.TensorInfo {
  const out = backend.makeOutput([g.batch, g.inHeight, g.inWidth, g.inChannels], 'float32');
  const { strideHeight: sh, strideWidth: sw, inChannels: ci, outChannels: co } = g;
  for (let a = 0; a < Math.min(sh, g.inHeight); a++) {
    for (let b = 0; b < Math.min(sw, g.inWidth); b++) {
      const s = scratch(backend);
      try {
        backpropInputPhase(backend, kernels, s, { dy, filter, out }, g, [a, b], [ci, co]);
      } finally {
        s.release();
      }
    }
  }
  return out;
}

function backpropInputPhase(
  backend: WasmBackendLike,
  kernels: SimdKernels,
  s: Scratch,
  { dy, filter, out }: { dy: tf.TensorInfo; filter: tf.TensorInfo; out: tf.TensorInfo },
  g: ConvGeometry,
  [a, b]: [number, number],
  [ci, co]: [number, number],
): void {
  const { strideHeight: sh, strideWidth: sw } = g;
  const khs = phaseTaps(a, g.padTop, sh, g.filterHeight);
  const kws = phaseTaps(b, g.padLeft, sw, g.filterWidth);
  const taps = khs.length * kws.length;
  const rowsH = Math.ceil((g.inHeight - a) / sh);
  const rowsW = Math.ceil((g.inWidth - b) / sw);
  const pixels = g.batch * rowsH * rowsW;
  const zero = zeroRow(backend, s, co);
  const packed = s.alloc([Math.max(taps * co * ci, 1)], 'float32');
  const ind = s.alloc([Math.max(pixels * taps, 1)], 'int32');
  const outInd = s.alloc([pixels], 'int32');
  // Views after the last allocation (heap growth detaches older ones).
  const w = backend.typedArrayFromHeap(packed) as Float32Array;
  const f = backend.typedArrayFromHeap(filter) as Float32Array;
  let t = 0;
  for (const kh of khs) {
    for (const kw of kws) {
      // packed[t][co][ci] = filter[kh][kw][ci][co]
      const src = (kh * g.filterWidth + kw) * ci * co;
      const dst = t * co * ci;
      for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) w[dst + o * ci + i] = f[src + i * co + o]!;
      t++;
    }
  }
  kernels.exports['phaseTable']!(
    address(backend, ind), address(backend, outInd), address(backend, dy), address(backend, out), zero,
    g.batch, g.inHeight, g.inWidth, g.outHeight, g.outWidth, ci, co, a, b, sh, sw, g.padTop, g.padLeft,
    khs[0] ?? 0, khs.length, kws[0] ?? 0, kws.length,
  );
  const product = { ind: address(backend, ind), P: pixels, T: taps, K: co, N: ci };
  rowsProduct(backend, kernels, s, product, address(backend, outInd), address(backend, packed), 0);
}

/** [m, n] = a[m, k] · b[k, n] (untransposed, rank-2 views of batch-1 operands). */
export function matMul(backend: WasmBackendLike, kernels: SimdKernels, a: tf.TensorInfo, b: tf.TensorInfo, outShape: number[], [m, k, n]: [number, number, number]): tf.TensorInfo {
  const out = backend.makeOutput(outShape, 'float32');
  const s = scratch(backend);
  try {
    const ind = contiguousRows(backend, s, a, m, k);
    const outInd = contiguousRows(backend, s, out, m, n);
    rowsProduct(backend, kernels, s, { ind, P: m, T: 1, K: k, N: n }, outInd, address(backend, b), 0);
  } finally {
    s.release();
  }
  return out;
}

/** [m, n] = aᵀ · b for a [k, m] and b [k, n] (batch 1). */
export function matMulTransposeA(backend: WasmBackendLike, kernels: SimdKernels, a: tf.TensorInfo, b: tf.TensorInfo, outShape: number[], [m, k, n]: [number, number, number]): tf.TensorInfo {
  const out = backend.makeOutput(outShape, 'float32');
  const s = scratch(backend);
  try {
    const ind = contiguousRows(backend, s, a, k, m);
    (backend.typedArrayFromHeap(out) as Float32Array).fill(0);
    columnsProduct(backend, kernels, s, { ind, P: k, T: 1, K: m, N: n }, address(backend, b), out);
  } finally {
    s.release();
  }
  return out;
}
