/**
 * The indirection tables of the conv kernels, built in wasm (in JavaScript
 * they cost as much as a small convolution): which input row each output row
 * reads under each tap, or the zero row where the window lies in the padding.
 */
import { FunctionBuilder, OP } from './wasm-emitter';

/** `count` new i32 locals. */
function locals(fb: FunctionBuilder, count: number): [number, number, number, number, number, number, number, number, number, number] {
  return Array.from({ length: count }, () => fb.local('i32')) as [number, number, number, number, number, number, number, number, number, number];
}

/** Pushes `lo <= v && v < hi` for locals/params (i32). */
function inRange(fb: FunctionBuilder, v: number, hi: number): void {
  fb.get(v).i32(0).op(OP.i32GeS).get(v).get(hi).op(OP.i32LtS, OP.i32And);
}

/**
 * forwardTable(ind, x, zero, batch, inH, inW, inC, outH, outW, kh, kw, sh, sw, dh, dw, padTop, padLeft):
 * ind[p][t] for output pixel p = (b, oh, ow) and tap t = (i, j): the address of
 * x[b, oh·sh − padTop + i·dh, ow·sw − padLeft + j·dw, :], or `zero`.
 */
export function forwardTable(): FunctionBuilder {
  const fb = new FunctionBuilder(Array<'i32'>(17).fill('i32'));
  const [IND, X, ZERO, BATCH, IN_H, IN_W, IN_C, OUT_H, OUT_W, KH, KW, SH, SW, DH, DW, PAD_TOP, PAD_LEFT] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
  ] as const;
  const [b, oh, ow, i, j, ih, iw, e, rowBase, pixelBytes] = locals(fb, 10);
  fb.get(IN_C).i32(4).op(OP.i32Mul).set(pixelBytes);
  fb.get(IND).set(e);
  fb.forRange(b, 0, () => fb.get(BATCH), 1, () => {
    fb.forRange(oh, 0, () => fb.get(OUT_H), 1, () => {
      fb.forRange(ow, 0, () => fb.get(OUT_W), 1, () => {
        fb.forRange(i, 0, () => fb.get(KH), 1, () => {
          fb.get(oh).get(SH).op(OP.i32Mul).get(PAD_TOP).op(OP.i32Sub).get(i).get(DH).op(OP.i32Mul, OP.i32Add).set(ih);
          // rowBase = x + (b·inH + ih)·inW·pixelBytes
          fb.get(b).get(IN_H).op(OP.i32Mul).get(ih).op(OP.i32Add).get(IN_W).op(OP.i32Mul).get(pixelBytes).op(OP.i32Mul);
          fb.get(X).op(OP.i32Add).set(rowBase);
          fb.forRange(j, 0, () => fb.get(KW), 1, () => {
            fb.get(ow).get(SW).op(OP.i32Mul).get(PAD_LEFT).op(OP.i32Sub).get(j).get(DW).op(OP.i32Mul, OP.i32Add).set(iw);
            fb.get(e);
            fb.get(rowBase).get(iw).get(pixelBytes).op(OP.i32Mul, OP.i32Add);
            fb.get(ZERO);
            inRange(fb, ih, IN_H);
            inRange(fb, iw, IN_W);
            fb.op(OP.i32And, OP.select).mem(OP.i32Store, 2);
            fb.addTo(e, 4);
          });
        });
      });
    });
  });
  return fb;
}

/**
 * phaseTable(ind, outInd, dy, dx, zero, batch, H, W, OH, OW, ci, co, a, b, sh, sw, padTop, padLeft, kh0, khN, kw0, kwN):
 * for Conv2DBackpropInput's sub-pixel phase (a, b): outInd[p] is dx pixel
 * p = (n, a + r·sh, b + c·sw) and ind[p][t] the dy pixel that tap
 * t = (kh0 + u·sh, kw0 + v·sw) (u < khN, v < kwN) brings to it, or `zero`.
 */
export function phaseTable(): FunctionBuilder {
  const fb = new FunctionBuilder(Array<'i32'>(22).fill('i32'));
  const [IND, OUT_IND, DY, DX, ZERO, BATCH, H, W, OH, OW, CI, CO, A, B, SH, SW, PAD_TOP, PAD_LEFT, KH0, KH_N, KW0, KW_N] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
  ] as const;
  const [n, h, w, u, v, oh, ow, e, p, rowBase] = locals(fb, 10);
  fb.get(IND).set(e);
  fb.get(OUT_IND).set(p);
  fb.forRange(n, 0, () => fb.get(BATCH), 1, () => {
    fb.forRange(h, () => fb.get(A), () => fb.get(H), () => fb.get(SH), () => {
      fb.forRange(w, () => fb.get(B), () => fb.get(W), () => fb.get(SW), () => {
        // outInd[p] = dx + ((n·H + h)·W + w)·ci·4
        fb.get(p);
        fb.get(n).get(H).op(OP.i32Mul).get(h).op(OP.i32Add).get(W).op(OP.i32Mul).get(w).op(OP.i32Add).get(CI).op(OP.i32Mul).i32(4).op(OP.i32Mul);
        fb.get(DX).op(OP.i32Add).mem(OP.i32Store, 2);
        fb.addTo(p, 4);
        fb.forRange(u, 0, () => fb.get(KH_N), 1, () => {
          // oh = (h + padTop − (kh0 + u·sh)) / sh: exact, the phase's taps line up with the stride.
          fb.get(h).get(PAD_TOP).op(OP.i32Add).get(KH0).op(OP.i32Sub).get(u).get(SH).op(OP.i32Mul, OP.i32Sub).get(SH).op(OP.i32DivS).set(oh);
          fb.get(n).get(OH).op(OP.i32Mul).get(oh).op(OP.i32Add).get(OW).op(OP.i32Mul).get(CO).op(OP.i32Mul).i32(4).op(OP.i32Mul);
          fb.get(DY).op(OP.i32Add).set(rowBase);
          fb.forRange(v, 0, () => fb.get(KW_N), 1, () => {
            fb.get(w).get(PAD_LEFT).op(OP.i32Add).get(KW0).op(OP.i32Sub).get(v).get(SW).op(OP.i32Mul, OP.i32Sub).get(SW).op(OP.i32DivS).set(ow);
            fb.get(e);
            fb.get(rowBase).get(ow).get(CO).op(OP.i32Mul).i32(4).op(OP.i32Mul, OP.i32Add);
            fb.get(ZERO);
            inRange(fb, oh, OH);
            inRange(fb, ow, OW);
            fb.op(OP.i32And, OP.select).mem(OP.i32Store, 2);
            fb.addTo(e, 4);
          });
        });
      });
    });
  });
  return fb;
}
