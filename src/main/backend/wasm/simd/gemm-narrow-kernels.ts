/**
 * The gemm kernels for narrow shapes (gemm-kernels.ts has the wide ones):
 * dot products along k when there are fewer than 4 output columns (a
 * generator's image, its gradient), and a gather of few-channel taps into
 * contiguous rows (a small im2col) so the wide kernels see one long tap.
 */
import { multiplyAdd, tableAddress, TILE_ROWS, zero } from './gemm-kernels';
import { FunctionBuilder, OP, SIMD } from './wasm-emitter';

/** Pushes the sum of a v128's four lanes: (l0 + l1) + (l2 + l3). */
function horizontalSum(fb: FunctionBuilder, v: number): void {
  fb.get(v).laneOp(SIMD.f32x4ExtractLane, 0).get(v).laneOp(SIMD.f32x4ExtractLane, 1).op(OP.f32Add);
  fb.get(v).laneOp(SIMD.f32x4ExtractLane, 2).get(v).laneOp(SIMD.f32x4ExtractLane, 3).op(OP.f32Add);
  fb.op(OP.f32Add);
}

/**
 * gemmRowsDot(ind, outInd, wT, bias, pBegin, pEnd, T, K, N, inBase, outBase, zero): gemmRows for
 * narrow outputs (N < 4, e.g. one image channel), vectorised along k as dot
 * products instead of along n. wT is the weights transposed to [N][T][K];
 * K must be a multiple of 4.
 */
export function gemmRowsDot(fma: boolean): FunctionBuilder {
  const fb = new FunctionBuilder(Array<'i32'>(12).fill('i32'));
  const [IND, OUT_IND, WT, BIAS, P_BEGIN, P_END, T, K, N, IN_BASE, OUT_BASE, ZERO] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const tmp = fb.local('i32');
  const ctx = { fb, fma };
  const p = fb.local('i32');
  const n = fb.local('i32');
  const t = fb.local('i32');
  const k = fb.local('i32');
  const wp = fb.local('i32');
  const tapRow = fb.local('i32');
  const t4 = fb.local('i32');
  const a = [0, 1, 2, 3].map(() => fb.local('i32'));
  const xv = [0, 1, 2, 3].map(() => fb.local('v128'));
  const wv = fb.local('v128');
  const acc = [0, 1, 2, 3].map(() => fb.local('v128'));
  const biasN = fb.local('f32');
  fb.get(T).i32(4).op(OP.i32Mul).set(t4);

  const rowsBlock = (rows: number) => {
    fb.forRange(n, 0, () => fb.get(N), 1, () => {
      for (let i = 0; i < rows; i++) {
        zero(fb, true);
        fb.set(acc[i]!);
      }
      // wp = wT + n·T·K·4
      fb.get(WT).get(n).get(T).op(OP.i32Mul).get(K).op(OP.i32Mul).i32(4).op(OP.i32Mul, OP.i32Add).set(wp);
      fb.get(IND).get(p).get(t4).op(OP.i32Mul, OP.i32Add).set(tapRow);
      fb.forRange(t, 0, () => fb.get(T), 1, () => {
        for (let i = 0; i < rows; i++) {
          fb.get(tapRow);
          if (i > 0) fb.get(t4).i32(i).op(OP.i32Mul, OP.i32Add);
          tableAddress(fb, tmp, IN_BASE, ZERO);
          fb.set(a[i]!);
        }
        fb.forRange(k, 0, () => fb.get(K), 4, () => {
          fb.get(wp).simdMem(SIMD.load).set(wv);
          for (let i = 0; i < rows; i++) {
            fb.get(a[i]!).simdMem(SIMD.load).set(xv[i]!);
            multiplyAdd(ctx, acc[i]!, xv[i]!, wv, true);
            fb.addTo(a[i]!, 16);
          }
          fb.addTo(wp, 16);
        });
        fb.addTo(tapRow, 4);
      });
      fb.f32(0).set(biasN);
      fb.get(BIAS).ifThen(() => fb.get(BIAS).get(n).i32(4).op(OP.i32Mul, OP.i32Add).mem(OP.f32Load, 2).set(biasN));
      for (let i = 0; i < rows; i++) {
        // out[p + i][n] = Σ lanes + bias[n]
        fb.get(OUT_IND).get(p).i32(i).op(OP.i32Add).i32(4).op(OP.i32Mul, OP.i32Add).mem(OP.i32Load, 2);
        fb.get(OUT_BASE).op(OP.i32Add).get(n).i32(4).op(OP.i32Mul, OP.i32Add);
        horizontalSum(fb, acc[i]!);
        fb.get(biasN).op(OP.f32Add).mem(OP.f32Store, 2);
      }
    });
  };
  fb.forRange(p, () => fb.get(P_BEGIN), () => fb.get(P_END).i32(TILE_ROWS - 1).op(OP.i32Sub), TILE_ROWS, () => rowsBlock(TILE_ROWS));
  fb.forRange(p, () => fb.get(p), () => fb.get(P_END), 1, () => rowsBlock(1));
  return fb;
}

/**
 * gemmColumnsDot(ind, dy, outT, P, T, K, N, inBase, zero): gemmColumns for narrow dy
 * (N < 4), vectorised along k: outT[n][t][k] += Σ_p in_{p,t}[k]·dy[p][n],
 * p in order (outT must start zeroed; K a multiple of 4).
 */
export function gemmColumnsDot(fma: boolean): FunctionBuilder {
  const fb = new FunctionBuilder(Array<'i32'>(9).fill('i32'));
  const [IND, DY, OUT_T, P, T, K, N, IN_BASE, ZERO] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const tmp = fb.local('i32');
  const ctx = { fb, fma };
  const n = fb.local('i32');
  const t = fb.local('i32');
  const k0 = fb.local('i32');
  const p = fb.local('i32');
  const indP = fb.local('i32');
  const dyP = fb.local('i32');
  const outP = fb.local('i32');
  const base = fb.local('i32');
  const t4 = fb.local('i32');
  const n4 = fb.local('i32');
  const d = fb.local('v128');
  const xv = fb.local('v128');
  const acc = [0, 1, 2, 3].map(() => fb.local('v128'));
  fb.get(T).i32(4).op(OP.i32Mul).set(t4);
  fb.get(N).i32(4).op(OP.i32Mul).set(n4);
  const block = (vectors: number) => {
    // outP = outT + ((n·T + t)·K + k0)·4
    fb.get(n).get(T).op(OP.i32Mul).get(t).op(OP.i32Add).get(K).op(OP.i32Mul).get(k0).op(OP.i32Add).i32(4).op(OP.i32Mul);
    fb.get(OUT_T).op(OP.i32Add).set(outP);
    for (let j = 0; j < vectors; j++) fb.get(outP).simdMem(SIMD.load, j * 16).set(acc[j]!);
    fb.get(IND).get(t).i32(4).op(OP.i32Mul, OP.i32Add).set(indP);
    fb.get(DY).get(n).i32(4).op(OP.i32Mul, OP.i32Add).set(dyP);
    fb.forRange(p, 0, () => fb.get(P), 1, () => {
      fb.get(dyP).simdMem(SIMD.load32Splat).set(d);
      fb.get(indP);
      tableAddress(fb, tmp, IN_BASE, ZERO);
      fb.get(k0).i32(4).op(OP.i32Mul, OP.i32Add).set(base);
      for (let j = 0; j < vectors; j++) {
        fb.get(base).simdMem(SIMD.load, j * 16).set(xv);
        multiplyAdd(ctx, acc[j]!, xv, d, true);
      }
      fb.addTo(indP, () => fb.get(t4));
      fb.addTo(dyP, () => fb.get(n4));
    });
    for (let j = 0; j < vectors; j++) fb.get(outP).get(acc[j]!).simdMem(SIMD.store, j * 16);
  };
  fb.forRange(n, 0, () => fb.get(N), 1, () => {
    fb.forRange(t, 0, () => fb.get(T), 1, () => {
      fb.forRange(k0, 0, () => fb.get(K).i32(15).op(OP.i32Sub), 16, () => block(4));
      fb.forRange(k0, () => fb.get(k0), () => fb.get(K), 4, () => block(1));
    });
  });
  return fb;
}

/** gatherRows(ind, out, E, K, inBase, zero): out[e][0..K) = the K floats at table entry e, for e < E (an im2col for few channels). */
export function gatherRows(): FunctionBuilder {
  const fb = new FunctionBuilder(Array<'i32'>(6).fill('i32'));
  const [IND, OUT, E, K, IN_BASE, ZERO] = [0, 1, 2, 3, 4, 5];
  const tmp = fb.local('i32');
  const e = fb.local('i32');
  const k = fb.local('i32');
  const src = fb.local('i32');
  const dst = fb.local('i32');
  fb.get(OUT).set(dst);
  fb.forRange(e, 0, () => fb.get(E), 1, () => {
    fb.get(IND).get(e).i32(4).op(OP.i32Mul, OP.i32Add);
    tableAddress(fb, tmp, IN_BASE, ZERO);
    fb.set(src);
    fb.forRange(k, 0, () => fb.get(K), 1, () => {
      fb.get(dst).get(src).mem(OP.f32Load, 2).mem(OP.f32Store, 2);
      fb.addTo(src, 4);
      fb.addTo(dst, 4);
    });
  });
  return fb;
}
