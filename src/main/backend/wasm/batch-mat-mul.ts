/**
 * A faster BatchMatMul for the wasm backend's gradient shapes. tfjs's wasm
 * kernel only reaches XNNPACK for untransposed operands; a Dense layer's
 * backward pass asks for xᵀ·dy and dy·Wᵀ, which fall onto a scalar loop
 * (~280 ms for [100×64]·[64×16384] on one core, vs ~36 ms when xᵀ is
 * materialised first). For unbatched products (batch 1), transpose the
 * operands explicitly and run the untransposed kernel; batched products go
 * to the built-in kernel unchanged. With the studio's SIMD kernels, batch-1
 * float32 products run on them instead (aᵀ·b directly, b transposed first for
 * a·bᵀ).
 */
import type * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from './kernel-ops';
import { release, transposeInfo } from './kernel-ops';
import { matMul, matMulTransposeA } from './simd/conv-ops';
import { studioKernels } from './simd/conv-kernels';

const batchOf = (shape: readonly number[]): number => shape.slice(0, -2).reduce((a, b) => a * b, 1);

/** Swaps the last two axes. */
function transposeLastTwo(backend: WasmBackendLike, x: tf.TensorInfo): tf.TensorInfo {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
  return transposeInfo(backend, x, perm);
}

/** A batch-1 product on the studio's kernels: [1…, m, n]. */
function simdMatMul(backend: WasmBackendLike, simd: NonNullable<ReturnType<typeof studioKernels>>, a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): tf.TensorInfo {
  const last = (x: tf.TensorInfo, i: number) => x.shape[x.shape.length - 1 - i]!;
  const [m, k] = transposeA ? [last(a, 0), last(a, 1)] : [last(a, 1), last(a, 0)];
  const n = transposeB ? last(b, 1) : last(b, 0);
  const outShape = [...Array<number>(Math.max(a.shape.length, b.shape.length) - 2).fill(1), m, n];
  const bKn = transposeB ? transposeLastTwo(backend, b) : b;
  const out = transposeA ? matMulTransposeA(backend, simd, a, bKn, outShape, [m, k, n]) : matMul(backend, simd, a, bKn, outShape, [m, k, n]);
  if (transposeB) release(backend, bKn);
  return out;
}

/** Wraps tfjs's wasm BatchMatMul: transposed batch-1 operands are materialised first. */
export function makeBatchMatMulConfig(builtin: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    const delegate = () => builtin.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
    if (batchOf(a.shape) !== 1 || batchOf(b.shape) !== 1) return delegate();
    const backend = args.backend as WasmBackendLike;
    const simd = studioKernels(backend);
    if (simd !== undefined && a.dtype === 'float32' && b.dtype === 'float32') return simdMatMul(backend, simd, a, b, transposeA, transposeB);
    if (!transposeA && !transposeB) return delegate();
    const at = transposeA ? transposeLastTwo(backend, a) : a;
    const bt = transposeB ? transposeLastTwo(backend, b) : b;
    const out = builtin.kernelFunc({
      inputs: { a: at, b: bt },
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
      backend: args.backend as tf.KernelBackend,
    });
    if (transposeA) release(backend, at);
    if (transposeB) release(backend, bt);
    return out;
  };
  return { ...builtin, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
