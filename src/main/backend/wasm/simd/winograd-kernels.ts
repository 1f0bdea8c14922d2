/**
 * The one wasm SIMD kernel behind every Winograd transform (winograd.ts):
 *
 *   out[a][b] (+)= Σ_{h,w} L[a][h] · X[h][w] · R[b][w]      (out = L X Rᵀ)
 *
 * per channel, where X is a pIn × qIn patch gathered from one strided view
 * and `out` a pOut × qOut patch scattered into another. The input transform
 * (Bᵀ d B), the filter transform (G g Gᵀ), the output transform (Aᵀ M A) and
 * the filter gradient's two adjoints (A dy Aᵀ, Gᵀ dU G) differ only in the
 * matrices and in how each side is addressed, so they share this kernel and
 * a descriptor (`descriptor` below).
 *
 * Each side addresses element (h, w, channel c) of item u as
 *   base + n·sN + (y0 + h)·sY + (x0 + w)·sX + c·sLane,
 *   n = u / (tilesY·tilesX), (ty, tx) = u's tile, y0 = ty·mY + oY, x0 = tx·mX + oX,
 * and reads zero / skips the write outside [0, H) × [0, W): an image side is
 * tiled (the padding, tiles past the edge); a Winograd-domain side is one
 * "tile" per item (tilesY = tilesX = 1, H = W = ∞). Strides are in bytes and
 * may be negative (a flipped filter).
 *
 * Channels go 4 to a v128, BLOCK_CHANNELS at a time: the patch of a block
 * lives in per-thread scratch on a fixed 8 × 8 grid of BLOCK_CHANNELS-wide
 * slots, so the passes' addresses are constant offsets and each element's
 * bounds and address are worked out once per block, not per vector. The last
 * group of a channel count that is not a multiple of 4 (or a side whose
 * channels are not contiguous) moves lane by lane, so nothing past a row is
 * touched.
 *
 * Every matrix of every F(m, r) the plan can pick is in the code as constants
 * (`MATRICES`; the descriptor names them by kind): zero coefficients are
 * skipped, ±1 are adds and subtracts, and the rows of a point a and of −a
 * share one even and one odd half-sum. The sums run in a fixed order per
 * element, so any split of items across threads gives the same bits.
 */
import { zero } from './gemm-kernels';
import { FunctionBuilder, OP, SIMD } from './wasm-emitter';
import { entry, MAX_TILE, transpose, winogradMatrices, type Matrix } from './winograd-matrices';
import { MAX_TILE_OUTPUTS } from './winograd-plan';

/** i32 fields of a side's addressing, in descriptor order. */
export const SIDE_FIELDS = ['base', 'sN', 'sY', 'sX', 'sLane', 'tilesY', 'tilesX', 'mY', 'mX', 'oY', 'oX', 'H', 'W'] as const;
export type SideField = (typeof SIDE_FIELDS)[number];
export type Side = Record<SideField, number>;

/** i32 fields shared by both sides, in descriptor order (then the source side, then the destination). */
export const SHARED_FIELDS = ['channels', 'pIn', 'qIn', 'pOut', 'qOut', 'leftKind', 'rightKind', 'accumulate'] as const;
export type Shared = Record<(typeof SHARED_FIELDS)[number], number>;

/** Words in a descriptor. */
export const DESCRIPTOR_WORDS = SHARED_FIELDS.length + 2 * SIDE_FIELDS.length;

/** Channels per block (8 vectors): a block's two 8 × 8 patches take 16 KB, in L1. */
const BLOCK_CHANNELS = 32;
const SLOT_BYTES = BLOCK_CHANNELS * 4;
const GRID_ROW_BYTES = MAX_TILE * SLOT_BYTES;
const PATCH_BYTES = MAX_TILE * GRID_ROW_BYTES;

/** Scratch bytes one thread's call needs: the gathered patch and the half-transformed one. */
export const TRANSFORM_SCRATCH_BYTES = 2 * PATCH_BYTES;

const F32X4_REPLACE_LANE = 0x20;
const I32_LT_U = 0x49;
const I32_REM_S = 0x6f;
const I32_SHR_S = 0x75;

const keyOf = (m: Matrix): string => `${m.rows}×${m.cols}:${m.data.join(',')}`;

/**
 * Every matrix a transform can name: Bᵀ per n, and Aᵀ, A, G, Gᵀ per F(m, r)
 * the plan can pick (m ≤ MAX_TILE_OUTPUTS, n = m + r − 1 ≤ 8; kind = index + 1).
 */
export const MATRICES: readonly Matrix[] = (() => {
  const all = new Map<string, Matrix>();
  for (let n = 2; n <= MAX_TILE; n++) {
    for (let m = 1; m <= Math.min(n, MAX_TILE_OUTPUTS); m++) {
      const w = winogradMatrices(m, n - m + 1);
      for (const matrix of [w.BT, w.AT, transpose(w.AT), w.G, transpose(w.G)]) all.set(keyOf(matrix), matrix);
    }
  }
  return [...all.values()];
})();

/** The kind that names `m` in a descriptor: 1 + its index in MATRICES. */
export function matrixKind(m: Matrix): number {
  const index = MATRICES.findIndex((s) => keyOf(s) === keyOf(m));
  if (index < 0) throw new Error(`expected a Winograd matrix of F(m ≤ ${MAX_TILE_OUTPUTS}, r) with n ≤ ${MAX_TILE}, got a ${m.rows}×${m.cols} one the kernel does not have`);
  return index + 1;
}

/**
 * A later row k' of `m` with row k' = sign·(−1)^j·row k (row k has terms of
 * both parities), if there is one: the rows of a point a and of −a.
 */
function mirrorRow(m: Matrix, k: number, taken: Set<number>): { row: number; sign: 1 | -1 } | undefined {
  const row = (i: number) => Array.from({ length: m.cols }, (_, j) => Math.fround(entry(m, i, j)));
  const base = row(k);
  if (!base.some((c, j) => c !== 0 && j % 2 === 0) || !base.some((c, j) => c !== 0 && j % 2 === 1)) return undefined;
  for (let other = k + 1; other < m.rows; other++) {
    if (taken.has(other)) continue;
    const candidate = row(other);
    for (const sign of [1, -1] as const) {
      if (candidate.every((c, j) => c === sign * (j % 2 === 0 ? 1 : -1) * base[j]!)) return { row: other, sign };
    }
  }
  return undefined;
}

/** The descriptor's words for one transform. */
export function descriptor(shared: Shared, source: Side, destination: Side): Int32Array {
  return Int32Array.from([...SHARED_FIELDS.map((f) => shared[f]), ...SIDE_FIELDS.map((f) => source[f]), ...SIDE_FIELDS.map((f) => destination[f])]);
}

interface SideLocals {
  field: Record<SideField, number>;
  /** base + n·sN + cb·sLane for the current item and block. */
  corner: number;
  y0: number;
  x0: number;
  /** sLane = 4: whole v128 moves where 4 lanes are left. */
  contiguous: number;
}

/**
 * winogradTransform(desc, uBegin, uEnd, scratch): items uBegin..uEnd of the
 * transform `desc` describes; scratch holds TRANSFORM_SCRATCH_BYTES.
 */
export function winogradTransform(fma: boolean): FunctionBuilder {
  const fb = new FunctionBuilder(['i32', 'i32', 'i32', 'i32']);
  const [DESC, U_BEGIN, U_END, SCRATCH] = [0, 1, 2, 3];
  const i32 = (): number => fb.local('i32');
  const shared = Object.fromEntries(SHARED_FIELDS.map((f) => [f, i32()])) as Record<(typeof SHARED_FIELDS)[number], number>;
  const side = (): SideLocals => ({
    field: Object.fromEntries(SIDE_FIELDS.map((f) => [f, i32()])) as Record<SideField, number>,
    corner: i32(),
    y0: i32(),
    x0: i32(),
    contiguous: i32(),
  });
  const src = side();
  const dst = side();
  const [u, cb, c0, lanes, vectors, v, h, w, y, x] = [i32(), i32(), i32(), i32(), i32(), i32(), i32(), i32(), i32(), i32()];
  const [rowOk, ok, px, addr, laneStep, patch, half, tile, item, p, q] = [i32(), i32(), i32(), i32(), i32(), i32(), i32(), i32(), i32(), i32(), i32()];
  const value = fb.local('v128');
  const acc = fb.local('v128');
  const xs = Array.from({ length: MAX_TILE }, () => fb.local('v128'));

  let word = 0;
  for (const f of SHARED_FIELDS) fb.get(DESC).mem(OP.i32Load, 2, 4 * word++).set(shared[f]);
  for (const s of [src, dst]) {
    for (const f of SIDE_FIELDS) fb.get(DESC).mem(OP.i32Load, 2, 4 * word++).set(s.field[f]);
    fb.get(s.field.sLane).i32(4).op(OP.i32Eq).set(s.contiguous);
  }
  fb.get(SCRATCH).set(patch);
  fb.get(SCRATCH).i32(PATCH_BYTES).op(OP.i32Add).set(half);

  /** Sets the side's corner (block cb), y0 and x0 for item u. */
  const locate = (s: SideLocals) => {
    const f = s.field;
    fb.get(f.tilesY).get(f.tilesX).op(OP.i32Mul).set(tile);
    fb.get(f.base).get(u).get(tile).op(OP.i32DivS).get(f.sN).op(OP.i32Mul, OP.i32Add);
    fb.get(cb).get(f.sLane).op(OP.i32Mul, OP.i32Add).set(s.corner);
    fb.get(u).get(tile).op(I32_REM_S).set(tile);
    fb.get(tile).get(f.tilesX).op(OP.i32DivS).get(f.mY).op(OP.i32Mul).get(f.oY).op(OP.i32Add).set(s.y0);
    fb.get(tile).get(f.tilesX).op(I32_REM_S).get(f.mX).op(OP.i32Mul).get(f.oX).op(OP.i32Add).set(s.x0);
  };
  /** rowOk = 0 ≤ y < H; ok = rowOk and 0 ≤ x < W (unsigned compares). */
  const rowInside = (s: SideLocals) => fb.get(y).get(s.field.H).op(I32_LT_U).set(rowOk);
  const inside = (s: SideLocals) => fb.get(rowOk).get(x).get(s.field.W).op(I32_LT_U).op(OP.i32And).set(ok);
  /** addr = corner + y·sY + x·sX (channel cb of element (y, x)). */
  const element = (s: SideLocals) =>
    fb.get(s.corner).get(y).get(s.field.sY).op(OP.i32Mul, OP.i32Add).get(x).get(s.field.sX).op(OP.i32Mul, OP.i32Add).set(addr);
  /** For each vector v of the block: c0, lanes (≤ 4) set; px and addr advance by a vector. */
  const eachVector = (s: SideLocals, body: () => void) => {
    fb.get(s.field.sLane).i32(4).op(OP.i32Mul).set(laneStep);
    fb.forRange(v, 0, () => fb.get(vectors), 1, () => {
      fb.get(cb).get(v).i32(4).op(OP.i32Mul, OP.i32Add).set(c0);
      fb.get(shared.channels).get(c0).op(OP.i32Sub).set(lanes);
      fb.get(lanes).i32(4).get(lanes).i32(4).op(OP.i32LtS, OP.select).set(lanes);
      body();
      fb.addTo(px, 16);
      fb.addTo(addr, () => fb.get(laneStep));
    });
  };
  /** Pushes "the block's 8 vectors are whole and contiguous on this side" (then the moves unroll). */
  const full = (s: SideLocals) => fb.get(s.contiguous).get(vectors).i32(BLOCK_CHANNELS / 4).op(OP.i32Eq).op(OP.i32And);
  /** body(byte offset) for each of a full block's vectors. */
  const unrolled = (body: (offset: number) => void) => {
    for (let k = 0; k < BLOCK_CHANNELS / 4; k++) body(16 * k);
  };
  const whole = (s: SideLocals) => fb.get(s.contiguous).get(lanes).i32(4).op(OP.i32Eq).op(OP.i32And);
  /** value = the channels at addr (lane by lane unless whole). */
  const loadChannels = (s: SideLocals) =>
    whole(s).ifThen(
      () => fb.get(addr).simdMem(SIMD.load, 0, 0).set(value),
      () => {
        zero(fb, true);
        fb.set(value);
        for (let l = 0; l < 4; l++) {
          fb.get(lanes).i32(l).op(OP.i32GtS).ifThen(() => {
            fb.get(value).get(addr).get(s.field.sLane).i32(l).op(OP.i32Mul, OP.i32Add).mem(OP.f32Load, 2);
            fb.laneOp(F32X4_REPLACE_LANE, l).set(value);
          });
        }
      },
    );
  const storeChannels = (s: SideLocals) =>
    whole(s).ifThen(
      () => fb.get(addr).get(value).simdMem(SIMD.store, 0, 0),
      () => {
        for (let l = 0; l < 4; l++) {
          fb.get(lanes).i32(l).op(OP.i32GtS).ifThen(() => {
            fb.get(addr).get(s.field.sLane).i32(l).op(OP.i32Mul, OP.i32Add);
            fb.get(value).laneOp(SIMD.f32x4ExtractLane, l).mem(OP.f32Store, 2);
          });
        }
      },
    );

  const [even, odd] = [fb.local('v128'), fb.local('v128')];
  const magnitudes = (m: Matrix): number[] => [...new Set([...m.data].map((c) => Math.abs(Math.fround(c))).filter((c) => c !== 0 && c !== 1))];
  /** v128 locals holding the current matrix's coefficient magnitudes (splatted once per pass, not per use). */
  const constants = Array.from({ length: Math.max(...MATRICES.map((m) => magnitudes(m).length)) }, () => fb.local('v128'));
  /**
   * Pushes Σ_j M[row][j]·xs[j], zero coefficients skipped, ±1 as add /
   * subtract, negative ones as a negated multiply-add; `slot` maps a
   * coefficient's magnitude to its local.
   */
  const constantRow = (m: Matrix, row: number, slot: Map<number, number>, parity?: 0 | 1) => {
    let first = true;
    for (let j = 0; j < m.cols; j++) {
      const c = Math.fround(entry(m, row, j));
      if (c === 0 || (parity !== undefined && j % 2 !== parity)) continue;
      const xj = xs[j]!;
      const magnitude = Math.abs(c);
      const k = slot.get(magnitude);
      if (first) {
        fb.get(xj);
        if (k !== undefined) fb.get(k).simd(SIMD.f32x4Mul);
        if (c < 0) fb.simd(SIMD.f32x4Neg);
        first = false;
      } else if (k === undefined) fb.get(xj).simd(c > 0 ? SIMD.f32x4Add : SIMD.f32x4Sub);
      else if (fma) fb.set(acc).get(xj).get(k).get(acc).simd(c > 0 ? SIMD.f32x4RelaxedMadd : SIMD.f32x4RelaxedNmadd);
      else fb.get(xj).get(k).simd(SIMD.f32x4Mul).simd(c > 0 ? SIMD.f32x4Add : SIMD.f32x4Sub);
    }
    if (first) zero(fb, true);
  };
  /**
   * For items 0..count of the grid at `from`: y = M·x along the other axis,
   * x[j] at from + item·itemBytes + j·elementBytes (+ the vector), y[k] the
   * same in `to`; M is MATRICES[kind − 1].
   */
  const pass = (m: Matrix, count: number, from: number, to: number, itemBytes: number, elementBytes: number) => {
    const slot = new Map<number, number>();
    magnitudes(m).forEach((c, i) => {
      fb.f32(c).simd(SIMD.f32x4Splat).set(constants[i]!);
      slot.set(c, constants[i]!);
    });
    fb.forRange(item, 0, () => fb.get(count), 1, () => {
      fb.get(item).i32(itemBytes).op(OP.i32Mul).set(p);
      fb.get(p).get(to).op(OP.i32Add).set(q);
      fb.get(p).get(from).op(OP.i32Add).set(p);
      fb.forRange(v, 0, () => fb.get(vectors), 1, () => {
        for (let j = 0; j < m.cols; j++) fb.get(p).simdMem(SIMD.load, j * elementBytes, 4).set(xs[j]!);
        const paired = new Set<number>();
        for (let k = 0; k < m.rows; k++) {
          if (paired.has(k)) continue;
          const partner = mirrorRow(m, k, paired);
          if (partner === undefined) {
            fb.get(q);
            constantRow(m, k, slot);
            fb.simdMem(SIMD.store, k * elementBytes, 4);
            continue;
          }
          // Rows k and k' = ±(−1)^j·row k (points a and −a): E ± O from one even and one odd half-sum.
          paired.add(partner.row);
          constantRow(m, k, slot, 0);
          fb.set(even);
          constantRow(m, k, slot, 1);
          fb.set(odd);
          fb.get(q).get(even).get(odd).simd(SIMD.f32x4Add).simdMem(SIMD.store, k * elementBytes, 4);
          fb.get(q);
          if (partner.sign > 0) fb.get(even).get(odd);
          else fb.get(odd).get(even);
          fb.simd(SIMD.f32x4Sub).simdMem(SIMD.store, partner.row * elementBytes, 4);
        }
        fb.addTo(p, 16);
        fb.addTo(q, 16);
      });
    });
  };
  /** Runs the case for MATRICES[kind − 1] (a binary search over the kinds). */
  const byKind = (kind: number, run: (m: Matrix) => void, lo = 0, hi = MATRICES.length) => {
    if (hi - lo === 1) {
      run(MATRICES[lo]!);
      return;
    }
    const mid = (lo + hi) >> 1;
    fb.get(kind).i32(mid + 1).op(OP.i32LtS).ifThen(
      () => byKind(kind, run, lo, mid),
      () => byKind(kind, run, mid, hi),
    );
  };

  fb.forRange(u, () => fb.get(U_BEGIN), () => fb.get(U_END), 1, () => {
    fb.forRange(cb, 0, () => fb.get(shared.channels), BLOCK_CHANNELS, () => {
      // Vectors in this block: ⌈min(32, channels − cb) / 4⌉.
      fb.get(shared.channels).get(cb).op(OP.i32Sub).set(vectors);
      fb.get(vectors).i32(BLOCK_CHANNELS).get(vectors).i32(BLOCK_CHANNELS).op(OP.i32LtS, OP.select).i32(3).op(OP.i32Add).i32(2).op(I32_SHR_S).set(vectors);
      locate(src);
      locate(dst);
      // Gather the pIn × qIn patch (zeros outside the source's bounds) onto the grid.
      fb.forRange(h, 0, () => fb.get(shared.pIn), 1, () => {
        fb.get(src.y0).get(h).op(OP.i32Add).set(y);
        rowInside(src);
        fb.forRange(w, 0, () => fb.get(shared.qIn), 1, () => {
          fb.get(src.x0).get(w).op(OP.i32Add).set(x);
          inside(src);
          element(src);
          fb.get(patch).get(h).i32(GRID_ROW_BYTES).op(OP.i32Mul, OP.i32Add).get(w).i32(SLOT_BYTES).op(OP.i32Mul, OP.i32Add).set(px);
          fb.get(ok).ifThen(
            () =>
              full(src).ifThen(
                () => unrolled((k) => fb.get(px).get(addr).simdMem(SIMD.load, k, 0).simdMem(SIMD.store, k, 4)),
                () => eachVector(src, () => (loadChannels(src), fb.get(px).get(value).simdMem(SIMD.store, 0, 4))),
              ),
            () => unrolled((k) => (fb.get(px), zero(fb, true), fb.simdMem(SIMD.store, k, 4))),
          );
        });
      });
      // half[a][w] = Σ_h L[a][h]·patch[h][w]: each column through L; then each row of half through R into the patch's space.
      byKind(shared.leftKind, (m) => pass(m, shared.qIn, patch, half, SLOT_BYTES, GRID_ROW_BYTES));
      byKind(shared.rightKind, (m) => pass(m, shared.pOut, half, patch, GRID_ROW_BYTES, SLOT_BYTES));
      // Written (or added) where the destination has the element.
      fb.forRange(h, 0, () => fb.get(shared.pOut), 1, () => {
        fb.get(dst.y0).get(h).op(OP.i32Add).set(y);
        rowInside(dst);
        fb.forRange(w, 0, () => fb.get(shared.qOut), 1, () => {
          fb.get(dst.x0).get(w).op(OP.i32Add).set(x);
          inside(dst);
          fb.get(ok).ifThen(() => {
            element(dst);
            fb.get(patch).get(h).i32(GRID_ROW_BYTES).op(OP.i32Mul, OP.i32Add).get(w).i32(SLOT_BYTES).op(OP.i32Mul, OP.i32Add).set(px);
            full(dst).ifThen(
              () =>
                fb.get(shared.accumulate).ifThen(
                  () => unrolled((k) => fb.get(addr).get(px).simdMem(SIMD.load, k, 4).get(addr).simdMem(SIMD.load, k, 0).simd(SIMD.f32x4Add).simdMem(SIMD.store, k, 0)),
                  () => unrolled((k) => fb.get(addr).get(px).simdMem(SIMD.load, k, 4).simdMem(SIMD.store, k, 0)),
                ),
              () =>
                eachVector(dst, () => {
                  fb.get(shared.accumulate).ifThen(
                    () => (loadChannels(dst), fb.get(px).simdMem(SIMD.load, 0, 4).get(value).simd(SIMD.f32x4Add).set(value)),
                    () => fb.get(px).simdMem(SIMD.load, 0, 4).set(value),
                  );
                  storeChannels(dst);
                }),
            );
          });
        });
      });
    });
  });
  return fb;
}
