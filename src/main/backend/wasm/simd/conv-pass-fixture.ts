/**
 * The conv tests' harness (conv-phases.test.ts, conv-space-to-depth.test.ts):
 * a layer shape and every pass of it through tfjs — tf.conv2d, the fused conv
 * with a bias, their gradients, tf.conv2dTranspose and its gradients — to run
 * on the wasm backend and on the cpu backend and compare.
 */
import * as tf from '@tensorflow/tfjs';
import { seededValues } from '../test-support';

export interface Case {
  size: number;
  kernel: number;
  stride: number;
  pad: 'same' | 'valid';
  inChannels: number;
  outChannels: number;
  batch: number;
}

export const label = (c: Case) => `${c.size}×${c.size} k${c.kernel} s${c.stride} ${c.pad} n${c.batch} ci${c.inChannels} co${c.outChannels}`;

export const info = (c: Case) =>
  tf.backend_util.computeConv2DInfo([c.batch, c.size, c.size, c.inChannels], [c.kernel, c.kernel, c.inChannels, c.outChannels], c.stride, 1, c.pad);

export const OUTPUTS = ['conv2d', 'fused conv2d + bias', 'dx', 'dW', 'conv2dTranspose', 'its dz', 'its dW'] as const;

/** Every pass twice over: tf.conv2d and its gradients, tf.conv2dTranspose (the input gradient as a forward pass) and its gradients. */
export function passes(c: Case): () => tf.Tensor[] {
  const xShape: [number, number, number, number] = [c.batch, c.size, c.size, c.inChannels];
  const fShape: [number, number, number, number] = [c.kernel, c.kernel, c.inChannels, c.outChannels];
  const yShape = info(c).outShape;
  const count = (shape: number[]) => shape.reduce((a, b) => a * b);
  return () =>
    tf.tidy(() => {
      const x = tf.tensor4d(seededValues(count(xShape), 1), xShape);
      const f = tf.tensor4d(seededValues(count(fShape), 2), fShape);
      const bias = tf.tensor1d(seededValues(c.outChannels, 3));
      // Weighting the outputs makes every output element's gradient distinct.
      const yWeights = tf.tensor(seededValues(count(yShape), 4), yShape);
      const xWeights = tf.tensor(seededValues(count(xShape), 5), xShape);
      const z = tf.tensor4d(seededValues(count(yShape), 6), yShape);
      const y = tf.conv2d(x, f, c.stride, c.pad);
      const fused = tf.fused.conv2d({ x, filter: f, strides: c.stride, pad: c.pad, bias });
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad).mul(yWeights).sum())([x, f]);
      const transposed = tf.conv2dTranspose(z, f, xShape, c.stride, c.pad);
      const [dz, dwT] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, xShape, c.stride, c.pad).mul(xWeights).sum())([z, f]);
      return [y, fused, dx!, dw!, transposed, dz!, dwT!];
    });
}
