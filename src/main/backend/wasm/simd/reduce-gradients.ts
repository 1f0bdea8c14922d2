/**
 * Sum's and Mean's gradients without a tensor of ones. tfjs's gradient of a
 * reduction multiplies the reshaped dy by ones(x.shape) — filled element by
 * element in JavaScript, then read again by a broadcasting Multiply (and, for
 * Mean, a division): BatchNorm's moments pay that twice per layer per step.
 * On wasm with the studio's kernels the same values come from dividing the
 * small dy first (Mean) and tiling it to x's shape: dy·1/n = dy/n, exactly.
 * Other backends keep tfjs's gradients.
 */
import * as tf from '@tensorflow/tfjs';
import { studioKernels } from './conv-kernels';

const onStudioWasm = (...tensors: tf.Tensor[]): boolean =>
  tf.getBackend() === 'wasm' && studioKernels(tf.backend()) !== undefined && tensors.every((t) => t.dtype === 'float32');

/** dy (the reduction's output) broadcast back over x's reduced axes, divided by the count for a mean. */
function broadcastBack(dy: tf.Tensor, x: tf.Tensor, axis: number | number[], mean: boolean): tf.Tensor {
  const axes = tf.util.parseAxisParam(axis, x.shape);
  const expanded = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  const small = tf.reshape(dy, expanded);
  return tf.broadcastTo(mean ? tf.div(small, count) : small, x.shape);
}

let installed = false;

/** Routes Sum's and Mean's registered gradients to broadcastBack on wasm (idempotent). */
export function installReduceGradients(): void {
  if (installed) return;
  for (const [name, mean] of [
    [tf.Sum, false],
    [tf.Mean, true],
  ] as const) {
    const config = tf.getGradient(name);
    if (config === undefined) continue;
    const original = config.gradFunc;
    config.gradFunc = (dy, saved, attrs) => {
      const [x] = saved as tf.Tensor[];
      if (!onStudioWasm(x!, dy as tf.Tensor)) return original(dy, saved, attrs);
      const { axis } = attrs as unknown as { axis: number | number[] };
      return { x: () => broadcastBack(dy as tf.Tensor, x!, axis, mean) };
    };
  }
  installed = true;
}
