/**
 * Winograd minimal filtering for the stride-1 Correlation (correlation.ts):
 * fewer multiply-adds than the direct kernel for the generator's 5×5 and
 * phase (3×3, 3×2, 2×2) layers. Per call:
 *
 *   U[ξ] = G g Gᵀ (filter, once)   V[ξ] = Bᵀ d B (input tiles)
 *   M[ξ] = V[ξ] · U[ξ] (one gemm per position ξ)   out (+)= Aᵀ M A
 *
 * and for the filter gradient dM[ξ] = A dy Aᵀ, dU[ξ] = Σ V[ξ]ᵀ dM[ξ],
 * filter (+)= Gᵀ dU G. The transforms are winograd-kernels.ts's one kernel,
 * split over tiles across the kernel threads; the products are the direct
 * kernels' gemms (gemm-dispatch.ts) with P = tiles, T = 1, K = Cin, N = Cout:
 * V and M are tile-major (their rows reached through tables), U, dU and dM
 * position-major (the gemms read weights and dy contiguously). Images go in
 * chunks so V and M stay under CHUNK_BYTES (or the caller's `chunkBytes`).
 */
import type { WasmBackendLike } from '../kernel-ops';
import type { Correlation, HeapView, ImageView } from './correlation';
import { address, columnsProduct, rowsProduct, scratch, type Scratch } from './gemm-dispatch';
import { parallel, threadsOf } from './parallel';
import type { SimdKernels } from './simd-runtime';
import { contiguousRows, memoryOf, zeroRow } from './table-cache';
import { descriptor, DESCRIPTOR_WORDS, matrixKind, TRANSFORM_SCRATCH_BYTES, type Shared, type Side } from './winograd-kernels';
import { transpose, winogradMatrices, type Matrix } from './winograd-matrices';
import { tilePlan, type TilePlan } from './winograd-plan';

export { winogradPays } from './winograd-plan';

/** The most bytes of V and M (or dM) one chunk of images keeps. */
export const CHUNK_BYTES = 32 << 20;

export interface WinogradOptions {
  /** Bytes of V and M per chunk of images (default CHUNK_BYTES; tests make it small to run several chunks). */
  chunkBytes?: number;
}

/** A side's bound that never cuts (the Winograd-domain buffers). */
const UNBOUNDED = 0x7fffffff;

/** The run's heap addresses and sizes. */
interface Layout {
  plan: TilePlan;
  /** Positions ξ (n_h·n_w) and tiles per image. */
  positions: number;
  tilesPerImage: number;
  imagesPerChunk: number;
  threadScratch: number;
  /** The matrices' kinds (winograd-kernels.ts MATRICES), by role. */
  matrices: Record<'BTy' | 'BTx' | 'Gy' | 'Gx' | 'ATy' | 'ATx' | 'Ay' | 'Ax' | 'GTy' | 'GTx', number>;
}

function layout(backend: WasmBackendLike, kernels: SimdKernels, s: Scratch, c: Correlation, chunkBytes: number): Layout {
  const plan = tilePlan(c);
  const my = winogradMatrices(plan.y.m, plan.y.r);
  const mx = winogradMatrices(plan.x.m, plan.x.r);
  const roles: Record<keyof Layout['matrices'], Matrix> = {
    BTy: my.BT,
    BTx: mx.BT,
    Gy: my.G,
    Gx: mx.G,
    ATy: my.AT,
    ATx: mx.AT,
    Ay: transpose(my.AT),
    Ax: transpose(mx.AT),
    GTy: transpose(my.G),
    GTx: transpose(mx.G),
  };
  const matrices = Object.fromEntries(Object.entries(roles).map(([role, m]) => [role, matrixKind(m)])) as Layout['matrices'];
  const positions = plan.y.n * plan.x.n;
  const tilesPerImage = plan.y.tiles * plan.x.tiles;
  const bytesPerImage = positions * tilesPerImage * (c.inChannels + c.outChannels) * 4;
  const imagesPerChunk = Math.max(1, Math.min(c.batch, Math.floor(chunkBytes / Math.max(bytesPerImage, 1))));
  const threadScratch = address(backend, s.alloc([(threadsOf(kernels) * TRANSFORM_SCRATCH_BYTES) / 4], 'float32'));
  return { plan, positions, tilesPerImage, imagesPerChunk, threadScratch, matrices };
}

const bytes = (strides: HeapView['strides']): [number, number, number, number] => [strides[0] * 4, strides[1] * 4, strides[2] * 4, strides[3] * 4];

/** An image-side view (input or output/dy) tiled by the plan, images from `n0`. */
function imageSide(view: HeapView, n0: number, plan: TilePlan, origin: [number, number], bounds: [number, number]): Side {
  const [sN, sY, sX, sLane] = bytes(view.strides);
  return {
    base: view.base + n0 * sN,
    sN,
    sY,
    sX,
    sLane,
    tilesY: plan.y.tiles,
    tilesX: plan.x.tiles,
    mY: plan.y.m,
    mX: plan.x.m,
    oY: origin[0],
    oX: origin[1],
    H: bounds[0],
    W: bounds[1],
  };
}

/**
 * A side with one item per u and no bounds: element (h, w, lane) of item u at
 * base + u·sN + h·sY + w·sX + lane·sLane (the Winograd-domain buffers, and the filter).
 */
function flatSide(base: number, sN: number, sY: number, sX: number, sLane: number, bounds: [number, number] = [UNBOUNDED, UNBOUNDED]): Side {
  return { base, sN, sY, sX, sLane, tilesY: 1, tilesX: 1, mY: 0, mX: 0, oY: 0, oX: 0, H: bounds[0], W: bounds[1] };
}

/**
 * A tile-major Winograd-domain buffer [tile][ξ][channels]: the input
 * transform writes each tile's positions side by side (position-major
 * writes land 64 pages apart and cost more than the transform), and the
 * products read position ξ's rows through a table at stride positions·channels.
 */
const tileMajorSide = (base: number, positions: number, channels: number, nX: number): Side =>
  flatSide(base, positions * channels * 4, nX * channels * 4, channels * 4, 4);

/** A Winograd-domain buffer [ξ][item][channels]: ξ = h·n_x + w. */
const domainSide = (base: number, items: number, channels: number, nX: number): Side => {
  const position = items * channels * 4;
  return flatSide(base, channels * 4, nX * position, position, 4);
};

/** What a transform call says besides its sides: sizes, the matrices' kinds (L left, R right), accumulate. */
interface Pass {
  channels: number;
  pIn: number;
  qIn: number;
  pOut: number;
  qOut: number;
  left: number;
  right: number;
  accumulate: number;
}

/** Runs one transform over `items` items across the threads. */
function transform(backend: WasmBackendLike, kernels: SimdKernels, s: Scratch, at: Layout, items: number, pass: Pass, source: Side, destination: Side): void {
  const { left, right, ...sizes } = pass;
  const shared: Shared = { ...sizes, leftKind: left, rightKind: right };
  const words = descriptor(shared, source, destination);
  const desc = address(backend, s.alloc([DESCRIPTOR_WORDS], 'int32'));
  new Int32Array(memoryOf(backend), desc, DESCRIPTOR_WORDS).set(words);
  const work = items * shared.channels * (shared.pIn * shared.pOut * shared.qIn + shared.pOut * shared.qIn * shared.qOut);
  parallel(kernels, items, 1, work, (from, to, part) => ({ fn: 'winogradTransform', args: [desc, from, to, at.threadScratch + part * TRANSFORM_SCRATCH_BYTES] }));
}

/** V = Bᵀ d B for the chunk's images (from n0): [tile][ξ][Cin]. */
function inputTransform(backend: WasmBackendLike, kernels: SimdKernels, s: Scratch, at: Layout, c: Correlation, n0: number, tiles: number, v: number): void {
  const { plan, matrices } = at;
  const input: ImageView = c.input;
  transform(
    backend,
    kernels,
    s,
    at,
    tiles,
    { channels: c.inChannels, pIn: plan.y.n, qIn: plan.x.n, pOut: plan.y.n, qOut: plan.x.n, left: matrices.BTy, right: matrices.BTx, accumulate: 0 },
    imageSide(input, n0, plan, [c.offsetY, c.offsetX], [input.height, input.width]),
    tileMajorSide(v, at.positions, c.inChannels, plan.x.n),
  );
}

/** Allocates a float32 block of `floats` and returns its address. */
const block = (backend: WasmBackendLike, s: Scratch, floats: number): number => address(backend, s.alloc([Math.max(floats, 1)], 'float32'));

/** out (+)= Σ in·filter: the Correlation's forward sum by Winograd tiles. */
export function correlate(backend: WasmBackendLike, kernels: SimdKernels, c: Correlation, options: WinogradOptions = {}): void {
  const s = scratch(backend);
  try {
    const at = layout(backend, kernels, s, c, options.chunkBytes ?? CHUNK_BYTES);
    const { plan, positions, matrices } = at;
    const { inChannels: cin, outChannels: cout } = c;
    const f = bytes(c.filter.strides);
    // U[ξ][ci][co] = G g Gᵀ: items are input channels, lanes output channels.
    const u = block(backend, s, positions * cin * cout);
    transform(
      backend,
      kernels,
      s,
      at,
      cin,
      { channels: cout, pIn: plan.y.r, qIn: plan.x.r, pOut: plan.y.n, qOut: plan.x.n, left: matrices.Gy, right: matrices.Gx, accumulate: 0 },
      flatSide(c.filter.base, f[2], f[0], f[1], f[3], [plan.y.r, plan.x.r]),
      domainSide(u, cin, cout, plan.x.n),
    );
    const chunkTiles = at.imagesPerChunk * at.tilesPerImage;
    const v = block(backend, s, positions * chunkTiles * cin);
    const m = block(backend, s, positions * chunkTiles * cout);
    for (let n0 = 0; n0 < c.batch; n0 += at.imagesPerChunk) {
      const tiles = Math.min(at.imagesPerChunk, c.batch - n0) * at.tilesPerImage;
      inputTransform(backend, kernels, s, at, c, n0, tiles, v);
      const ind = contiguousRows(backend, tiles, positions * cin);
      const outInd = contiguousRows(backend, tiles, positions * cout);
      const zero = zeroRow(backend, cin);
      for (let xi = 0; xi < positions; xi++) {
        const product = { ind, base: v + xi * cin * 4, zero, P: tiles, T: 1, K: cin, N: cout };
        rowsProduct(backend, kernels, s, product, { outInd, base: m + xi * cout * 4 }, u + xi * cin * cout * 4, 0);
      }
      // out (+)= Aᵀ M A, tiles cropped at outHeight × outWidth.
      transform(
        backend,
        kernels,
        s,
        at,
        tiles,
        { channels: cout, pIn: plan.y.n, qIn: plan.x.n, pOut: plan.y.m, qOut: plan.x.m, left: matrices.ATy, right: matrices.ATx, accumulate: c.accumulate ? 1 : 0 },
        tileMajorSide(m, positions, cout, plan.x.n),
        imageSide(c.output, n0, plan, [0, 0], [c.outHeight, c.outWidth]),
      );
    }
  } finally {
    s.release();
  }
}

/** filter (+)= Σ in·dy (dy read through c.output): the filter gradient by Winograd tiles. */
export function correlateFilterGradient(backend: WasmBackendLike, kernels: SimdKernels, c: Correlation, options: WinogradOptions = {}): void {
  const s = scratch(backend);
  try {
    const at = layout(backend, kernels, s, c, options.chunkBytes ?? CHUNK_BYTES);
    const { plan, positions, matrices } = at;
    const { inChannels: cin, outChannels: cout } = c;
    const du = block(backend, s, positions * cin * cout);
    new Float32Array(memoryOf(backend), du, positions * cin * cout).fill(0);
    const chunkTiles = at.imagesPerChunk * at.tilesPerImage;
    const v = block(backend, s, positions * chunkTiles * cin);
    const dm = block(backend, s, positions * chunkTiles * cout);
    for (let n0 = 0; n0 < c.batch; n0 += at.imagesPerChunk) {
      const tiles = Math.min(at.imagesPerChunk, c.batch - n0) * at.tilesPerImage;
      inputTransform(backend, kernels, s, at, c, n0, tiles, v);
      // dM = A dy Aᵀ: dy past outHeight × outWidth reads as zero.
      transform(
        backend,
        kernels,
        s,
        at,
        tiles,
        { channels: cout, pIn: plan.y.m, qIn: plan.x.m, pOut: plan.y.n, qOut: plan.x.n, left: matrices.Ay, right: matrices.Ax, accumulate: 0 },
        imageSide(c.output, n0, plan, [0, 0], [c.outHeight, c.outWidth]),
        domainSide(dm, tiles, cout, plan.x.n),
      );
      const ind = contiguousRows(backend, tiles, positions * cin);
      const zero = zeroRow(backend, cin);
      for (let xi = 0; xi < positions; xi++) {
        const product = { ind, base: v + xi * cin * 4, zero, P: tiles, T: 1, K: cin, N: cout };
        columnsProduct(backend, kernels, s, product, dm + xi * tiles * cout * 4, du + xi * cin * cout * 4);
      }
    }
    // filter (+)= Gᵀ dU G through the filter's view.
    const f = bytes(c.filter.strides);
    transform(
      backend,
      kernels,
      s,
      at,
      cin,
      { channels: cout, pIn: plan.y.n, qIn: plan.x.n, pOut: plan.y.r, qOut: plan.x.r, left: matrices.GTy, right: matrices.GTx, accumulate: c.accumulate ? 1 : 0 },
      domainSide(du, cin, cout, plan.x.n),
      flatSide(c.filter.base, f[2], f[0], f[1], f[3], [plan.y.r, plan.x.r]),
    );
  } finally {
    s.release();
  }
}
