/**
 * One-pass SIMD kernels for the memory-bound part of a training step:
 * binary arithmetic with the broadcasts a step uses (same shape, a scalar, a
 * per-channel vector), LeakyReLU and its gradient in one pass, per-channel
 * sums (bias and BatchNorm gradients, moments) and a per-channel affine map
 * (BatchNorm's forward pass). Each is a vector loop with a scalar tail; every
 * output element gets the same arithmetic as tfjs's own kernel, so only
 * reductions differ (in summation order).
 */
import { FunctionBuilder, OP, SIMD } from './wasm-emitter';

/** The binary ops, with their vector and scalar opcodes. */
export const BINARY_OPS = {
  add: { vector: SIMD.f32x4Add, scalar: OP.f32Add },
  sub: { vector: SIMD.f32x4Sub, scalar: OP.f32Sub },
  mul: { vector: SIMD.f32x4Mul, scalar: OP.f32Mul },
  div: { vector: SIMD.f32x4Div, scalar: OP.f32Div },
} as const;
export type BinaryOp = keyof typeof BINARY_OPS;

/** How the second operand is laid over the first. */
export type Broadcast = 'same' | 'scalar' | 'row';

/** `for (i = 0; i + 4 <= n; i += 4) vector(); for (; i < n; i++) scalar()`, i counting elements. */
function vectorThenScalar(fb: FunctionBuilder, i: number, n: () => void, vector: () => void, scalar: () => void): void {
  fb.forRange(i, 0, () => (n(), fb.i32(3).op(OP.i32Sub)), 4, vector);
  fb.forRange(i, () => fb.get(i), n, 1, scalar);
}

/** Pushes base + i·4. */
const at = (fb: FunctionBuilder, base: number, i: number) => fb.get(base).get(i).i32(4).op(OP.i32Mul, OP.i32Add);

/**
 * out = a ∘ b over n elements (`same`, `scalar`), or over rows × c with b a
 * c-vector (`row`, c a multiple of 4). `swap` computes b ∘ a instead, for
 * when the broadcast operand comes first. Params: (a, b, out, n) or (a, b, out, rows, c).
 */
function binary(op: BinaryOp, broadcast: Broadcast, swap: boolean): FunctionBuilder {
  const { vector, scalar } = BINARY_OPS[op];
  const row = broadcast === 'row';
  const fb = new FunctionBuilder(row ? ['i32', 'i32', 'i32', 'i32', 'i32'] : ['i32', 'i32', 'i32', 'i32']);
  const [A, B, OUT, N] = [0, 1, 2, 3];
  const i = fb.local('i32');
  const bv = fb.local('v128');
  const bs = fb.local('f32');
  const apply = (code: number, isVector: boolean, pushA: () => void, pushB: () => void) => {
    const [first, second] = swap ? [pushB, pushA] : [pushA, pushB];
    first();
    second();
    if (isVector) fb.simd(code);
    else fb.op(code);
  };
  if (broadcast === 'same') {
    vectorThenScalar(
      fb,
      i,
      () => fb.get(N),
      () => {
        at(fb, OUT, i);
        apply(vector, true, () => (at(fb, A, i), fb.simdMem(SIMD.load)), () => (at(fb, B, i), fb.simdMem(SIMD.load)));
        fb.simdMem(SIMD.store);
      },
      () => {
        at(fb, OUT, i);
        apply(scalar, false, () => (at(fb, A, i), fb.mem(OP.f32Load, 2)), () => (at(fb, B, i), fb.mem(OP.f32Load, 2)));
        fb.mem(OP.f32Store, 2);
      },
    );
  } else if (broadcast === 'scalar') {
    fb.get(B).mem(OP.f32Load, 2).tee(bs).simd(SIMD.f32x4Splat).set(bv);
    vectorThenScalar(
      fb,
      i,
      () => fb.get(N),
      () => {
        at(fb, OUT, i);
        apply(vector, true, () => (at(fb, A, i), fb.simdMem(SIMD.load)), () => fb.get(bv));
        fb.simdMem(SIMD.store);
      },
      () => {
        at(fb, OUT, i);
        apply(scalar, false, () => (at(fb, A, i), fb.mem(OP.f32Load, 2)), () => fb.get(bs));
        fb.mem(OP.f32Store, 2);
      },
    );
  } else {
    const COLUMNS = 4; // the fifth parameter, c
    const r = fb.local('i32');
    const c = fb.local('i32');
    const rowStart = fb.local('i32');
    fb.forRange(r, 0, () => fb.get(N), 1, () => {
      fb.get(r).get(COLUMNS).op(OP.i32Mul).set(rowStart);
      fb.forRange(c, 0, () => fb.get(COLUMNS), 4, () => {
        fb.get(OUT).get(rowStart).get(c).op(OP.i32Add).i32(4).op(OP.i32Mul, OP.i32Add);
        apply(
          vector,
          true,
          () => (fb.get(A).get(rowStart).get(c).op(OP.i32Add).i32(4).op(OP.i32Mul, OP.i32Add), fb.simdMem(SIMD.load)),
          () => (at(fb, B, c), fb.simdMem(SIMD.load)),
        );
        fb.simdMem(SIMD.store);
      });
    });
  }
  return fb;
}

/** leakyRelu(x, out, n, alpha): out = x < 0 ? alpha·x : x. */
function leakyRelu(): FunctionBuilder {
  const fb = new FunctionBuilder(['i32', 'i32', 'i32', 'f32']);
  const [X, OUT, N, ALPHA] = [0, 1, 2, 3];
  const i = fb.local('i32');
  const v = fb.local('v128');
  const s = fb.local('f32');
  const alpha = fb.local('v128');
  fb.get(ALPHA).simd(SIMD.f32x4Splat).set(alpha);
  vectorThenScalar(
    fb,
    i,
    () => fb.get(N),
    () => {
      at(fb, OUT, i);
      at(fb, X, i).simdMem(SIMD.load).set(v);
      // bitselect(alpha·x, x, x < 0)
      fb.get(alpha).get(v).simd(SIMD.f32x4Mul).get(v);
      fb.get(v).f32(0).simd(SIMD.f32x4Splat).simd(SIMD.f32x4Lt).simd(SIMD.v128Bitselect);
      fb.simdMem(SIMD.store);
    },
    () => {
      at(fb, OUT, i);
      at(fb, X, i).mem(OP.f32Load, 2).set(s);
      fb.get(ALPHA).get(s).op(OP.f32Mul).get(s).get(s).f32(0).op(OP.f32Lt, OP.select);
      fb.mem(OP.f32Store, 2);
    },
  );
  return fb;
}

/** leakyReluGrad(dy, x, out, n, alpha): out = x > 0 ? dy : alpha·dy (tfjs's gradient, one pass). */
function leakyReluGrad(): FunctionBuilder {
  const fb = new FunctionBuilder(['i32', 'i32', 'i32', 'i32', 'f32']);
  const [DY, X, OUT, N, ALPHA] = [0, 1, 2, 3, 4];
  const i = fb.local('i32');
  const d = fb.local('v128');
  const ds = fb.local('f32');
  const alpha = fb.local('v128');
  fb.get(ALPHA).simd(SIMD.f32x4Splat).set(alpha);
  vectorThenScalar(
    fb,
    i,
    () => fb.get(N),
    () => {
      at(fb, OUT, i);
      at(fb, DY, i).simdMem(SIMD.load).set(d);
      // bitselect(dy, dy·alpha, x > 0)
      fb.get(d).get(d).get(alpha).simd(SIMD.f32x4Mul);
      at(fb, X, i).simdMem(SIMD.load).f32(0).simd(SIMD.f32x4Splat).simd(SIMD.f32x4Gt).simd(SIMD.v128Bitselect);
      fb.simdMem(SIMD.store);
    },
    () => {
      at(fb, OUT, i);
      at(fb, DY, i).mem(OP.f32Load, 2).set(ds);
      fb.get(ds).get(ds).get(ALPHA).op(OP.f32Mul);
      at(fb, X, i).mem(OP.f32Load, 2).f32(0).op(OP.f32Gt, OP.select);
      fb.mem(OP.f32Store, 2);
    },
  );
  return fb;
}

/**
 * channelSums(x, out, rows, c): out[j] = Σ_r x[r·c + j], rows summed in
 * order (c a multiple of 4; vectors of 4 channels).
 */
function channelSums(): FunctionBuilder {
  const fb = new FunctionBuilder(['i32', 'i32', 'i32', 'i32']);
  const [X, OUT, ROWS, C] = [0, 1, 2, 3];
  const r = fb.local('i32');
  const j = fb.local('i32');
  const p = fb.local('i32');
  const rowBytes = fb.local('i32');
  const acc = fb.local('v128');
  fb.get(C).i32(4).op(OP.i32Mul).set(rowBytes);
  fb.forRange(j, 0, () => fb.get(C), 4, () => {
    fb.f32(0).simd(SIMD.f32x4Splat).set(acc);
    at(fb, X, j).set(p);
    fb.forRange(r, 0, () => fb.get(ROWS), 1, () => {
      fb.get(acc).get(p).simdMem(SIMD.load).simd(SIMD.f32x4Add).set(acc);
      fb.addTo(p, () => fb.get(rowBytes));
    });
    at(fb, OUT, j).get(acc).simdMem(SIMD.store);
  });
  return fb;
}

/** affineChannels(x, params, out, rows, c): out = (x − m[j])·s[j] + o[j], params = [m | s | o] (c each, c a multiple of 4). */
function affineChannels(): FunctionBuilder {
  const fb = new FunctionBuilder(['i32', 'i32', 'i32', 'i32', 'i32']);
  const [X, PARAMS, OUT, ROWS, C] = [0, 1, 2, 3, 4];
  const r = fb.local('i32');
  const j = fb.local('i32');
  const e = fb.local('i32');
  const cBytes = fb.local('i32');
  fb.get(C).i32(4).op(OP.i32Mul).set(cBytes);
  fb.forRange(r, 0, () => fb.get(ROWS), 1, () => {
    fb.forRange(j, 0, () => fb.get(C), 4, () => {
      fb.get(r).get(C).op(OP.i32Mul).get(j).op(OP.i32Add).set(e);
      at(fb, OUT, e);
      at(fb, X, e).simdMem(SIMD.load);
      at(fb, PARAMS, j).simdMem(SIMD.load).simd(SIMD.f32x4Sub);
      at(fb, PARAMS, j).get(cBytes).op(OP.i32Add).simdMem(SIMD.load).simd(SIMD.f32x4Mul);
      at(fb, PARAMS, j).get(cBytes).op(OP.i32Add).get(cBytes).op(OP.i32Add).simdMem(SIMD.load).simd(SIMD.f32x4Add);
      fb.simdMem(SIMD.store);
    });
  });
  return fb;
}

/** The export name of a binary kernel. */
export const binaryName = (op: BinaryOp, broadcast: Broadcast, swap: boolean): string => `${op}_${broadcast}${swap ? '_swap' : ''}`;

/** Every elementwise export by name. */
export function elementwiseFunctions(): Record<string, FunctionBuilder> {
  const out: Record<string, FunctionBuilder> = { leakyRelu: leakyRelu(), leakyReluGrad: leakyReluGrad(), channelSums: channelSums(), affineChannels: affineChannels() };
  for (const op of Object.keys(BINARY_OPS) as BinaryOp[]) {
    for (const broadcast of ['same', 'scalar', 'row'] as const) {
      out[binaryName(op, broadcast, false)] = binary(op, broadcast, false);
      if (broadcast !== 'same') out[binaryName(op, broadcast, true)] = binary(op, broadcast, true);
    }
  }
  return out;
}
