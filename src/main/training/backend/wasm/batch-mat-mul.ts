/**
 * A faster BatchMatMul for the wasm backend's gradient shapes. tfjs's wasm
 * kernel only reaches XNNPACK for untransposed operands; a Dense layer's
 * backward pass asks for xᵀ·dy and dy·Wᵀ, which fall onto a scalar loop
 * (~280 ms for [100×64]·[64×16384] on one core, vs ~36 ms when xᵀ is
 * materialised first). For unbatched products (batch 1), transpose the
 * operands explicitly and run the untransposed kernel; batched products go
 * to the built-in kernel unchanged.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from './kernel-ops';
import { release, transposeInfo } from './kernel-ops';

const batchOf = (shape: readonly number[]): number => shape.slice(0, -2).reduce((a, b) => a * b, 1);

/** Swaps the last two axes. */
function transposeLastTwo(backend: WasmBackendLike, x: tf.TensorInfo): tf.TensorInfo {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
  return transposeInfo(backend, x, perm);
}

/** Wraps tfjs's wasm BatchMatMul: transposed batch-1 operands are materialised first. */
export function makeBatchMatMulConfig(builtin: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    const delegate = () => builtin.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
    if ((!transposeA && !transposeB) || batchOf(a.shape) !== 1 || batchOf(b.shape) !== 1) return delegate();
    const backend = args.backend as WasmBackendLike;
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
