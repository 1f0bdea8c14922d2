/**
 * How much work one kernel call does, from its shapes: floating-point
 * operations for convolutions and matmuls (2 per multiply-add), bytes moved
 * for everything else (every input read once, every output written once) —
 * what a profile divides by time to say how close a kernel runs to the
 * machine's limits.
 */
import * as tf from '@tensorflow/tfjs';

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** Multiply-adds of a conv whose forward output has `outShape` and whose filter is [KH, KW, Ci, Co]. */
const convMacs = (outShape: readonly number[], filterShape: readonly number[]): number =>
  size(outShape.slice(0, 3)) * size(filterShape);

/** Work of one kernel call. */
export function kernelWork(
  kernel: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
  outputs: tf.TensorInfo[],
): { flops: number; bytes: number } {
  const input = (name: string) => inputs[name] as tf.TensorInfo | undefined;
  switch (kernel) {
    case tf.Conv2D:
    case tf.FusedConv2D:
      return { flops: 2 * convMacs(outputs[0]!.shape, input('filter')!.shape), bytes: 0 };
    case tf.Conv2DBackpropInput:
      return { flops: 2 * convMacs(input('dy')!.shape, input('filter')!.shape), bytes: 0 };
    case tf.Conv2DBackpropFilter:
      return { flops: 2 * convMacs(input('dy')!.shape, (attrs as unknown as { filterShape: number[] }).filterShape), bytes: 0 };
    case tf.BatchMatMul:
    case tf._FusedMatMul: {
      const { transposeA } = attrs as unknown as tf.BatchMatMulAttrs;
      const a = input('a')!.shape;
      const inner = transposeA ? a[a.length - 2]! : a[a.length - 1]!;
      return { flops: 2 * size(outputs[0]!.shape) * inner, bytes: 0 };
    }
    case tf.Reshape:
    case tf.Identity:
      // Views of their input (no data moves).
      return { flops: 0, bytes: 0 };
    default: {
      const moved = [...Object.values(inputs), ...outputs].reduce(
        (total, t) => total + (t === undefined || t === null ? 0 : size((t as tf.TensorInfo).shape) * (BYTES[(t as tf.TensorInfo).dtype] ?? 4)),
        0,
      );
      return { flops: 0, bytes: moved };
    }
  }
}
