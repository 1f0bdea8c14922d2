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
 *   the forward conv's tables read by gemmColumnsPacked.
 *
 * Each first asks conv-space-to-depth.ts (a strided conv as one stride-1
 * correlation on s²·C channels), then conv-phases.ts (the stride's phases):
 * where the Winograd kernels pay on those correlations, they run instead of
 * the direct kernels.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-ops';
import type { SimdKernels } from './simd-runtime';
import { address, columnsProduct, rowsProduct, scratch } from './gemm-dispatch';
import type { Product, Scratch } from './gemm-dispatch';
import { contiguousRows, tablesOf, zeroRow } from './table-cache';
import { phasePlan, runPhases } from './conv-phases';
import type { ConvOperands, ConvPass } from './conv-phases';
import { runSpaceToDepth, spaceToDepthPays } from './conv-space-to-depth';

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

const geometryKey = (g: ConvGeometry): string => Object.values(g).join(',');

/** The forward conv's table for this geometry (offsets into x; shared by conv2d and conv2dBackpropFilter). */
function forwardTable(backend: WasmBackendLike, kernels: SimdKernels, g: ConvGeometry): number {
  const entries = g.batch * g.outHeight * g.outWidth * g.filterHeight * g.filterWidth;
  return tablesOf(backend).get(`forward:${geometryKey(g)}`, entries, (ind) =>
    kernels.exports['forwardTable']!(
      ind, 0, -1, g.batch, g.inHeight, g.inWidth, g.inChannels, g.outHeight, g.outWidth,
      g.filterHeight, g.filterWidth, g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth, g.padTop, g.padLeft,
    ),
  );
}

/** The forward product of x under geometry g. */
function forwardProduct(backend: WasmBackendLike, kernels: SimdKernels, g: ConvGeometry, x: tf.TensorInfo): Product {
  return {
    ind: forwardTable(backend, kernels, g),
    base: address(backend, x),
    zero: zeroRow(backend, g.inChannels),
    P: g.batch * g.outHeight * g.outWidth,
    T: g.filterHeight * g.filterWidth,
    K: g.inChannels,
    N: g.outChannels,
  };
}

/** The heap addresses of a pass's tensors, in the forward conv's roles (see ConvOperands). */
const operands = (backend: WasmBackendLike, x: tf.TensorInfo, filter: tf.TensorInfo, y: tf.TensorInfo): ConvOperands => ({
  x: address(backend, x),
  filter: address(backend, filter),
  y: address(backend, y),
});

/** Fills every pixel of `out` with the per-channel `bias` (doubling copies, as tile.ts does). */
function fillWithBias(backend: WasmBackendLike, out: tf.TensorInfo, bias: tf.TensorInfo): void {
  const values = backend.typedArrayFromHeap(out) as Float32Array;
  const channels = bias.shape[0]!;
  values.set(backend.typedArrayFromHeap(bias) as Float32Array);
  for (let filled = channels; filled < values.length; filled *= 2) values.copyWithin(filled, 0, Math.min(filled, values.length - filled));
}

/**
 * The pass on the Winograd kernels where one of their layouts pays — space-to-depth for a strided conv, else
 * the phase split — as a function of `accumulate` (add into what the output holds); undefined: the direct kernels'.
 */
function winogradRun(
  backend: WasmBackendLike,
  kernels: SimdKernels,
  pass: ConvPass,
  g: ConvGeometry,
  at: ConvOperands,
): ((accumulate: boolean) => void) | undefined {
  if (spaceToDepthPays(pass, g)) return (accumulate) => runSpaceToDepth(backend, kernels, pass, g, at, accumulate);
  const plan = phasePlan(pass, g, at);
  if (plan === undefined) return undefined;
  return (accumulate) => runPhases(backend, kernels, pass, accumulate ? plan.map((c) => ({ ...c, accumulate: true })) : plan);
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
  const winograd = winogradRun(backend, kernels, 'forward', g, operands(backend, x, filter, out));
  if (winograd !== undefined) {
    if (bias !== undefined) fillWithBias(backend, out, bias);
    // With a bias in place the correlations add to it.
    winograd(bias !== undefined);
    return out;
  }
  const s = scratch(backend);
  try {
    const product = forwardProduct(backend, kernels, g, x);
    const rows = { outInd: contiguousRows(backend, product.P, g.outChannels), base: address(backend, out) };
    rowsProduct(backend, kernels, s, product, rows, address(backend, filter), bias === undefined ? 0 : address(backend, bias));
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
  const winograd = winogradRun(backend, kernels, 'backpropFilter', g, operands(backend, x, out, dy));
  if (winograd !== undefined) {
    winograd(false);
    return out;
  }
  const s = scratch(backend);
  try {
    const product = forwardProduct(backend, kernels, g, x);
    (backend.typedArrayFromHeap(out) as Float32Array).fill(0);
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
  const winograd = winogradRun(backend, kernels, 'backpropInput', g, operands(backend, out, filter, dy));
  if (winograd !== undefined) {
    winograd(false);
    return out;
  }
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
  const packed = s.alloc([Math.max(taps * co * ci, 1)], 'float32');
  // Views after the allocation (heap growth detaches older ones).
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
  // One table: the phase's dx rows (pixels), then its taps' dy rows (pixels × taps).
  const table = tablesOf(backend).get(`phase:${geometryKey(g)}:${a}:${b}`, pixels * (1 + taps), (at) =>
    kernels.exports['phaseTable']!(
      at + pixels * 4, at, 0, 0, -1, g.batch, g.inHeight, g.inWidth, g.outHeight, g.outWidth, ci, co, a, b, sh, sw, g.padTop, g.padLeft,
      khs[0] ?? 0, khs.length, kws[0] ?? 0, kws.length,
    ),
  );
  const outInd = table;
  const ind = table + pixels * 4;
  const product = { ind, base: address(backend, dy), zero: zeroRow(backend, co), P: pixels, T: taps, K: co, N: ci };
  rowsProduct(backend, kernels, s, product, { outInd, base: address(backend, out) }, address(backend, packed), 0);
}

/** [m, n] = a[m, k] · b[k, n] (untransposed, rank-2 views of batch-1 operands). */
export function matMul(backend: WasmBackendLike, kernels: SimdKernels, a: tf.TensorInfo, b: tf.TensorInfo, outShape: number[], [m, k, n]: [number, number, number]): tf.TensorInfo {
  const out = backend.makeOutput(outShape, 'float32');
  const s = scratch(backend);
  try {
    const product = { ind: contiguousRows(backend, m, k), base: address(backend, a), zero: 0, P: m, T: 1, K: k, N: n };
    rowsProduct(backend, kernels, s, product, { outInd: contiguousRows(backend, m, n), base: address(backend, out) }, address(backend, b), 0);
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
    (backend.typedArrayFromHeap(out) as Float32Array).fill(0);
    const product = { ind: contiguousRows(backend, k, m), base: address(backend, a), zero: 0, P: k, T: 1, K: m, N: n };
    columnsProduct(backend, kernels, s, product, address(backend, b), out);
  } finally {
    s.release();
  }
  return out;
}
