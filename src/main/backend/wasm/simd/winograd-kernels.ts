/**
 * The one wasm SIMD kernel behind every Winograd transform (winograd.ts):
 *
 *   out[a][b] (+)= Σ_{h,w} L[a][h] · X[h][w] · R[b][w]      (out = L X Rᵀ)
 *
 * for 4 channels at a time, where X is a pIn × qIn patch gathered from one
 * strided view and `out` a pOut × qOut patch scattered into another. The
 * input transform (Bᵀ d B), the filter transform (G g Gᵀ), the output
 * transform (Aᵀ M A) and the filter gradient's two adjoints (A dy Aᵀ,
 * Gᵀ dU G) differ only in the matrices and in how each side is addressed, so
 * they share this kernel and a descriptor (DESCRIPTOR below).
 *
 * Each side addresses element (h, w, lane) of item u as
 *   base + n·sN + (y0 + h)·sY + (x0 + w)·sX + (c0 + lane)·sLane,
 *   n = u / (tilesY·tilesX), (ty, tx) = u's tile, y0 = ty·mY + oY, x0 = tx·mX + oX,
 * and reads zero / skips the write outside [0, H) × [0, W): an image side is
 * tiled (the padding, tiles past the edge); a Winograd-domain side is one
 * "tile" per item (tilesY = tilesX = 1, H = W = ∞). Strides are in bytes and
 * may be negative (a flipped filter). Channels go 4 to a v128; the last group
 * of a channel count that is not a multiple of 4 (or a side whose channels
 * are not contiguous) moves lane by lane, so nothing past a row is touched.
 *
 * The matrices are float32 data on the heap (pIn·pOut and qIn·qOut floats):
 * generic loops over n ≤ 8. The sums run in a fixed order per element, so
 * any split of items across threads gives the same bits.
 */
import { multiplyAdd, zero } from './gemm-kernels';
import { FunctionBuilder, OP, SIMD } from './wasm-emitter';
import { entry, MAX_TILE, winogradMatrices, type Matrix } from './winograd-matrices';

const MAX_N = MAX_TILE;

/**
 * The input transform's Bᵀ for n = 2..8 (it depends on n alone): the
 * transform the products' cost is closest to, so its passes run with the
 * constants in the code, zeros skipped and ±1 as adds (kind = index + 1).
 * Every other matrix goes through the generic loops (kind 0).
 */
export const SPECIAL_MATRICES: readonly Matrix[] = Array.from({ length: MAX_N - 1 }, (_, i) => winogradMatrices(1, i + 2).BT);

/** The kind that names `m` in a descriptor: 1 + its index in SPECIAL_MATRICES, or 0 (generic). */
export function matrixKind(m: Matrix): number {
  const index = SPECIAL_MATRICES.findIndex((s) => s.rows === m.rows && s.cols === m.cols && s.data.every((v, i) => v === m.data[i]));
  return index + 1;
}

/** i32 fields of a side's addressing, in descriptor order. */
export const SIDE_FIELDS = ['base', 'sN', 'sY', 'sX', 'sLane', 'tilesY', 'tilesX', 'mY', 'mX', 'oY', 'oX', 'H', 'W'] as const;
export type SideField = (typeof SIDE_FIELDS)[number];
export type Side = Record<SideField, number>;

/** i32 fields shared by both sides, in descriptor order (then the source side, then the destination). */
export const SHARED_FIELDS = ['channels', 'pIn', 'qIn', 'pOut', 'qOut', 'left', 'right', 'leftKind', 'rightKind', 'accumulate'] as const;
export type Shared = Record<(typeof SHARED_FIELDS)[number], number>;

/** Words in a descriptor. */
export const DESCRIPTOR_WORDS = SHARED_FIELDS.length + 2 * SIDE_FIELDS.length;

/** Scratch bytes one thread's call needs: the gathered patch and the half-transformed one (8 × 8 v128 each). */
export const TRANSFORM_SCRATCH_BYTES = 2 * 64 * 16;

const F32X4_REPLACE_LANE = 0x20;
const I32_LT_U = 0x49;
const I32_REM_S = 0x6f;

/** The descriptor's words for one transform. */
export function descriptor(shared: Shared, source: Side, destination: Side): Int32Array {
  return Int32Array.from([...SHARED_FIELDS.map((f) => shared[f]), ...SIDE_FIELDS.map((f) => source[f]), ...SIDE_FIELDS.map((f) => destination[f])]);
}

interface SideLocals {
  field: Record<SideField, number>;
  /** Address of element (0, 0, lane 0) before the y/x terms: base + n·sN + c0·sLane. */
  corner: number;
  y0: number;
  x0: number;
  /** Whole v128 moves (4 lanes left and sLane = 4). */
  fast: number;
}

/**
 * winogradTransform(desc, uBegin, uEnd, scratch): items uBegin..uEnd of the
 * transform `desc` describes; scratch holds TRANSFORM_SCRATCH_BYTES.
 */
export function winogradTransform(fma: boolean): FunctionBuilder {
  const fb = new FunctionBuilder(['i32', 'i32', 'i32', 'i32']);
  const [DESC, U_BEGIN, U_END, SCRATCH] = [0, 1, 2, 3];
  const shared = Object.fromEntries(SHARED_FIELDS.map((f) => [f, fb.local('i32')])) as Record<(typeof SHARED_FIELDS)[number], number>;
  const side = (): SideLocals => ({
    field: Object.fromEntries(SIDE_FIELDS.map((f) => [f, fb.local('i32')])) as Record<SideField, number>,
    corner: fb.local('i32'),
    y0: fb.local('i32'),
    x0: fb.local('i32'),
    fast: fb.local('i32'),
  });
  const src = side();
  const dst = side();
  const i32 = (): number => fb.local('i32');
  const [u, c0, lanes, h, w, a, b, y, x] = [i32(), i32(), i32(), i32(), i32(), i32(), i32(), i32(), i32()];
  const [rowOk, pc, px, patch, half, addr, tile] = [i32(), i32(), i32(), i32(), i32(), i32(), i32()];
  const [acc, coefficient, value] = [0, 1, 2].map(() => fb.local('v128')) as [number, number, number];
  const ctx = { fb, fma };

  let word = 0;
  for (const f of SHARED_FIELDS) fb.get(DESC).mem(OP.i32Load, 2, 4 * word++).set(shared[f]);
  for (const s of [src, dst]) for (const f of SIDE_FIELDS) fb.get(DESC).mem(OP.i32Load, 2, 4 * word++).set(s.field[f]);
  fb.get(SCRATCH).set(patch);
  fb.get(SCRATCH).i32(64 * 16).op(OP.i32Add).set(half);

  /** Sets the side's corner, y0, x0 and fast flag for item u, channel group c0. */
  const locate = (s: SideLocals) => {
    const f = s.field;
    fb.get(f.tilesY).get(f.tilesX).op(OP.i32Mul).set(tile);
    fb.get(f.base).get(u).get(tile).op(OP.i32DivS).get(f.sN).op(OP.i32Mul, OP.i32Add);
    fb.get(c0).get(f.sLane).op(OP.i32Mul, OP.i32Add).set(s.corner);
    fb.get(u).get(tile).op(I32_REM_S).set(tile);
    fb.get(tile).get(f.tilesX).op(OP.i32DivS).get(f.mY).op(OP.i32Mul).get(f.oY).op(OP.i32Add).set(s.y0);
    fb.get(tile).get(f.tilesX).op(I32_REM_S).get(f.mX).op(OP.i32Mul).get(f.oX).op(OP.i32Add).set(s.x0);
    fb.get(lanes).i32(4).op(OP.i32Eq).get(f.sLane).i32(4).op(OP.i32Eq).op(OP.i32And).set(s.fast);
  };
  /** rowOk = 0 ≤ y < H (unsigned compare). */
  const rowInside = (s: SideLocals) => fb.get(y).get(s.field.H).op(I32_LT_U).set(rowOk);
  /** Pushes "element (y, x) lies inside" for a side whose rowOk is set. */
  const inside = (s: SideLocals) => fb.get(rowOk).get(x).get(s.field.W).op(I32_LT_U).op(OP.i32And);
  /** addr = corner + y·sY + x·sX. */
  const element = (s: SideLocals) =>
    fb.get(s.corner).get(y).get(s.field.sY).op(OP.i32Mul, OP.i32Add).get(x).get(s.field.sX).op(OP.i32Mul, OP.i32Add).set(addr);
  /** value = the 4 (or `lanes`) channels at addr. */
  const loadChannels = (s: SideLocals) =>
    fb.get(s.fast).ifThen(
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
    fb.get(s.fast).ifThen(
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

  const [item, k, j, pp, qq] = [i32(), i32(), i32(), i32(), i32()];
  const xs = Array.from({ length: MAX_N }, () => fb.local('v128'));
  type Step = () => void;
  /**
   * For items 0..count: y = M·x, x[j] at src + item·srcItem + j·srcElement
   * (inLen vectors), y[k] at dst + item·dstItem + k·dstElement (outLen); M
   * is the special matrix `kind` names (its constants in the code), or with
   * kind 0 the outLen × inLen floats at `matrix`.
   */
  const passes = (kind: number, matrix: number, inLen: number, outLen: number, count: number, src: number, srcItem: Step, srcElement: Step, dst: number, dstItem: Step, dstElement: Step) => {
    const itemStart = (base: number, step: Step, into: number) => {
      fb.get(item);
      step();
      fb.op(OP.i32Mul).get(base).op(OP.i32Add).set(into);
    };
    SPECIAL_MATRICES.forEach((special, index) => {
      fb.get(kind).i32(index + 1).op(OP.i32Eq).ifThen(() => {
        fb.forRange(item, 0, () => fb.get(count), 1, () => {
          itemStart(src, srcItem, pp);
          for (let jj = 0; jj < special.cols; jj++) {
            fb.get(pp).simdMem(SIMD.load, 0, 4).set(xs[jj]!);
            if (jj + 1 < special.cols) fb.addTo(pp, srcElement);
          }
          itemStart(dst, dstItem, qq);
          for (let kk = 0; kk < special.rows; kk++) {
            fb.get(qq);
            constantRow(special, kk);
            fb.simdMem(SIMD.store, 0, 4);
            if (kk + 1 < special.rows) fb.addTo(qq, dstElement);
          }
        });
      });
    });
    fb.get(kind).op(OP.i32Eqz).ifThen(() => {
      fb.forRange(item, 0, () => fb.get(count), 1, () => {
        itemStart(dst, dstItem, qq);
        fb.forRange(k, 0, () => fb.get(outLen), 1, () => {
          zero(fb, true);
          fb.set(acc);
          fb.get(matrix).get(k).get(inLen).op(OP.i32Mul).i32(4).op(OP.i32Mul, OP.i32Add).set(pc);
          itemStart(src, srcItem, px);
          fb.forRange(j, 0, () => fb.get(inLen), 1, () => {
            fb.get(pc).simdMem(SIMD.load32Splat).set(coefficient);
            fb.get(px).simdMem(SIMD.load, 0, 4).set(value);
            multiplyAdd(ctx, acc, value, coefficient, true);
            fb.addTo(pc, 4);
            fb.addTo(px, srcElement);
          });
          fb.get(qq).get(acc).simdMem(SIMD.store, 0, 4);
          fb.addTo(qq, dstElement);
        });
      });
    });
  };
  /** Pushes Σ_j M[row][j]·xs[j] with the nonzero constants inlined (±1 as add / subtract). */
  const constantRow = (special: Matrix, row: number) => {
    let first = true;
    for (let jj = 0; jj < special.cols; jj++) {
      const c = Math.fround(entry(special, row, jj));
      if (c === 0) continue;
      const x = xs[jj]!;
      if (first) {
        fb.get(x);
        if (c === -1) fb.simd(SIMD.f32x4Neg);
        else if (c !== 1) fb.f32x4Const(c).simd(SIMD.f32x4Mul);
        first = false;
      } else if (c === 1) fb.get(x).simd(SIMD.f32x4Add);
      else if (c === -1) fb.get(x).simd(SIMD.f32x4Sub);
      else if (fma) fb.set(acc).get(x).f32x4Const(c).get(acc).simd(SIMD.f32x4RelaxedMadd);
      else fb.get(x).f32x4Const(c).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Add);
    }
    if (first) zero(fb, true);
  };

  fb.forRange(u, () => fb.get(U_BEGIN), () => fb.get(U_END), 1, () => {
    fb.forRange(c0, 0, () => fb.get(shared.channels), 4, () => {
      fb.get(shared.channels).get(c0).op(OP.i32Sub).set(lanes);
      fb.get(lanes).i32(4).get(lanes).i32(4).op(OP.i32LtS, OP.select).set(lanes);
      locate(src);
      locate(dst);
      // Gather the pIn × qIn patch (zeros outside the source's bounds) into patch[h][w].
      fb.get(patch).set(px);
      fb.forRange(h, 0, () => fb.get(shared.pIn), 1, () => {
        fb.get(src.y0).get(h).op(OP.i32Add).set(y);
        rowInside(src);
        fb.forRange(w, 0, () => fb.get(shared.qIn), 1, () => {
          fb.get(src.x0).get(w).op(OP.i32Add).set(x);
          inside(src).ifThen(
            () => (element(src), loadChannels(src)),
            () => (zero(fb, true), fb.set(value)),
          );
          fb.get(px).get(value).simdMem(SIMD.store, 0, 4);
          fb.addTo(px, 16);
        });
      });
      // half[a][w] = Σ_h L[a][h]·patch[h][w]: column w of the patch through L.
      passes(
        shared.leftKind,
        shared.left,
        shared.pIn,
        shared.pOut,
        shared.qIn,
        patch,
        () => fb.i32(16),
        () => fb.get(shared.qIn).i32(16).op(OP.i32Mul),
        half,
        () => fb.i32(16),
        () => fb.get(shared.qIn).i32(16).op(OP.i32Mul),
      );
      // result[a][b] = Σ_w half[a][w]·R[b][w]: row a of half through R (into the patch's space, now free).
      passes(
        shared.rightKind,
        shared.right,
        shared.qIn,
        shared.qOut,
        shared.pOut,
        half,
        () => fb.get(shared.qIn).i32(16).op(OP.i32Mul),
        () => fb.i32(16),
        patch,
        () => fb.get(shared.qOut).i32(16).op(OP.i32Mul),
        () => fb.i32(16),
      );
      // Written (or added) where the destination has the element.
      fb.get(patch).set(px);
      fb.forRange(a, 0, () => fb.get(shared.pOut), 1, () => {
        fb.get(dst.y0).get(a).op(OP.i32Add).set(y);
        rowInside(dst);
        fb.forRange(b, 0, () => fb.get(shared.qOut), 1, () => {
          fb.get(dst.x0).get(b).op(OP.i32Add).set(x);
          inside(dst).ifThen(() => {
            element(dst);
            fb.get(shared.accumulate).ifThen(
              () => (loadChannels(dst), fb.get(px).simdMem(SIMD.load, 0, 4).get(value).simd(SIMD.f32x4Add).set(value)),
              () => fb.get(px).simdMem(SIMD.load, 0, 4).set(value),
            );
            storeChannels(dst);
          });
          fb.addTo(px, 16);
        });
      });
    });
  });
  return fb;
}
