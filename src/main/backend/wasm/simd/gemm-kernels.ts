/**
 * The wide matrix kernel of forward convolutions, transposed convolutions
 * and matmuls, emitted as WebAssembly SIMD (wasm-emitter.ts), and the
 * helpers the other gemm kernels share; the filter gradient has its own
 * (gemm-columns-packed.ts), narrow shapes theirs (gemm-narrow-kernels.ts).
 *
 * `gemmRows` — out[p][n] = bias[n] + Σ_t Σ_k in_{p,t}[k] · w[t][k][n]. Each
 *   output row p reads its inputs through an indirection table (one offset
 *   per tap t: an input pixel's channels, or −1 for a row of zeros where the
 *   window lies in the padding) and writes through another. A forward convolution
 *   is taps = kernel positions, k = input channels; a transposed convolution
 *   (Conv2DBackpropInput) runs once per sub-pixel phase with that phase's
 *   taps; a matmul is one tap.
 *
 * Register tile: 4 rows × 8 columns (eight v128 accumulators), then 4- and
 * 1-column tails. With relaxed SIMD the multiply-add is f32x4.relaxed_madd
 * (one fused instruction where the CPU has FMA); otherwise mul then add.
 */
import { FunctionBuilder, OP, SIMD } from './wasm-emitter';

/** Rows per register tile (the remainder goes one row at a time). */
export const TILE_ROWS = 4;

type Width = 8 | 4 | 1;

export interface Acc {
  fb: FunctionBuilder;
  fma: boolean;
}

/** acc ← acc + x·w on the stack-free locals (vector or scalar). */
export function multiplyAdd({ fb, fma }: Acc, acc: number, x: number, w: number, vector: boolean): void {
  if (!vector) {
    fb.get(acc).get(x).get(w).op(OP.f32Mul, OP.f32Add).set(acc);
  } else if (fma) {
    fb.get(x).get(w).get(acc).simd(SIMD.f32x4RelaxedMadd).set(acc);
  } else {
    fb.get(acc).get(x).get(w).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Add).set(acc);
  }
}

/**
 * Turns the table entry on the stack into an address: entries are byte
 * offsets from the operand's base (so a table serves every call of its
 * geometry), −1 meaning the zero row.
 */
export function tableAddress(fb: FunctionBuilder, tmp: number, base: number, zeroRow: number): void {
  fb.mem(OP.i32Load, 2).set(tmp);
  fb.get(zeroRow).get(base).get(tmp).op(OP.i32Add).get(tmp).i32(0).op(OP.i32LtS, OP.select);
}

/** Pushes a zero of the accumulator's type. */
export function zero(fb: FunctionBuilder, vector: boolean): void {
  if (vector) fb.f32(0).simd(SIMD.f32x4Splat);
  else fb.f32(0);
}

/**
 * gemmRows(ind, outInd, w, bias, pBegin, pEnd, T, K, N, inBase, outBase, zero, tBegin, tEnd, accumulate):
 * rows pBegin..pEnd of out (at outBase + outInd[p]) over taps tBegin..tEnd;
 * ind is [P][T] offsets from inBase (−1: the zero row at `zero`); w is
 * [T][K][N]; bias is an address of N floats, or 0 for none. With
 * `accumulate` the sums start from out (a later chunk of taps: large
 * filters go in chunks that keep their weights in cache; the order of the
 * sum is the same).
 */
export function gemmRows(fma: boolean): FunctionBuilder {
  const fb = new FunctionBuilder(Array<'i32'>(15).fill('i32'));
  const [IND, OUT_IND, W, BIAS, P_BEGIN, P_END, T, K, N, IN_BASE, OUT_BASE, ZERO, T_BEGIN, T_END, ACCUMULATE] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
  ];
  const tmp = fb.local('i32');
  const ctx = { fb, fma };
  const p = fb.local('i32');
  const n0 = fb.local('i32');
  const t = fb.local('i32');
  const k = fb.local('i32');
  const wp = fb.local('i32');
  const tapRow = fb.local('i32');
  const t4 = fb.local('i32');
  const rowBytes = fb.local('i32');
  const a = [0, 1, 2, 3].map(() => fb.local('i32'));
  const xv = [0, 1, 2, 3].map(() => fb.local('v128'));
  const xs = [0, 1, 2, 3].map(() => fb.local('f32'));
  const wv = [0, 1].map(() => fb.local('v128'));
  const ws = fb.local('f32');
  const accV = Array.from({ length: 8 }, () => fb.local('v128'));
  const accS = Array.from({ length: 4 }, () => fb.local('f32'));

  fb.get(T).i32(4).op(OP.i32Mul).set(t4);
  fb.get(N).i32(4).op(OP.i32Mul).set(rowBytes);

  /** One rows × width block at column n0. */
  const block = (rows: number, width: Width) => {
    const vecs = width === 1 ? 1 : width / 4;
    const vector = width !== 1;
    const acc = (i: number, j: number) => (vector ? accV[i * 2 + j]! : accS[i]!);
    /** Pushes the address of row p + i, column n0 of out. */
    const outAddress = (i: number) => {
      fb.get(OUT_IND).get(p).i32(i).op(OP.i32Add).i32(4).op(OP.i32Mul, OP.i32Add).mem(OP.i32Load, 2);
      fb.get(OUT_BASE).op(OP.i32Add).get(n0).i32(4).op(OP.i32Mul, OP.i32Add);
    };
    const load = (offset: number) => (vector ? fb.simdMem(SIMD.load, offset) : fb.mem(OP.f32Load, 2, offset));
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < vecs; j++) {
        fb.get(ACCUMULATE).ifThen(
          () => (outAddress(i), load(j * 16), fb.set(acc(i, j))),
          () => {
            fb.get(BIAS).op(OP.i32Eqz);
            fb.ifThen(
              () => (zero(fb, vector), fb.set(acc(i, j))),
              () => (fb.get(BIAS).get(n0).i32(4).op(OP.i32Mul, OP.i32Add), load(j * 16), fb.set(acc(i, j))),
            );
          },
        );
      }
    }
    // wp = w + (tBegin·K·N + n0)·4
    fb.get(T_BEGIN).get(K).op(OP.i32Mul).get(N).op(OP.i32Mul).get(n0).op(OP.i32Add).i32(4).op(OP.i32Mul);
    fb.get(W).op(OP.i32Add).set(wp);
    // tapRow walks ind[p][t] for the block's first row; row i is i·T entries further.
    fb.get(IND).get(p).get(t4).op(OP.i32Mul, OP.i32Add).get(T_BEGIN).i32(4).op(OP.i32Mul, OP.i32Add).set(tapRow);
    fb.forRange(t, () => fb.get(T_BEGIN), () => fb.get(T_END), 1, () => {
      for (let i = 0; i < rows; i++) {
        fb.get(tapRow);
        if (i > 0) fb.get(t4).i32(i).op(OP.i32Mul, OP.i32Add);
        tableAddress(fb, tmp, IN_BASE, ZERO);
        fb.set(a[i]!);
      }
      fb.forRange(k, 0, () => fb.get(K), 1, () => {
        for (let j = 0; j < vecs; j++) {
          fb.get(wp);
          if (vector) fb.simdMem(SIMD.load, j * 16).set(wv[j]!);
          else fb.mem(OP.f32Load, 2).set(ws);
        }
        for (let i = 0; i < rows; i++) {
          fb.get(a[i]!);
          if (vector) fb.simdMem(SIMD.load32Splat).set(xv[i]!);
          else fb.mem(OP.f32Load, 2).set(xs[i]!);
          for (let j = 0; j < vecs; j++) multiplyAdd(ctx, acc(i, j), vector ? xv[i]! : xs[i]!, vector ? wv[j]! : ws, vector);
          fb.addTo(a[i]!, 4);
        }
        fb.addTo(wp, () => fb.get(rowBytes));
      });
      fb.addTo(tapRow, 4);
    });
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < vecs; j++) {
        outAddress(i);
        fb.get(acc(i, j));
        if (vector) fb.simdMem(SIMD.store, j * 16);
        else fb.mem(OP.f32Store, 2);
      }
    }
  };

  /** All columns for `rows` rows starting at p. */
  const columns = (rows: number) => {
    fb.i32(0).set(n0);
    for (const width of [8, 4, 1] as const) {
      fb.forRange(
        n0,
        () => fb.get(n0),
        () => fb.get(N).i32(width - 1).op(OP.i32Sub),
        width,
        () => block(rows, width),
      );
    }
  };

  fb.forRange(p, () => fb.get(P_BEGIN), () => fb.get(P_END).i32(TILE_ROWS - 1).op(OP.i32Sub), TILE_ROWS, () => columns(TILE_ROWS));
  fb.forRange(p, () => fb.get(p), () => fb.get(P_END), 1, () => columns(1));
  return fb;
}
