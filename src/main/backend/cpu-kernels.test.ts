import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuKernels } from './cpu-kernels';

/** The filter gradient from tfjs's own cpu kernel, captured before we replace it. */
let reference: (x: tf.Tensor4D, dy: tf.Tensor4D, shape: [number, number, number, number], strides: [number, number], pad: 'same' | 'valid') => tf.Tensor4D;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const builtIn = tf.getKernel('Conv2DBackpropFilter', 'cpu');
  if (!builtIn) throw new Error('expected tfjs cpu to register Conv2DBackpropFilter');
  reference = (x, dy, filterShape, strides, pad) =>
    tf.engine().makeTensorFromTensorInfo(
      builtIn.kernelFunc({
        inputs: { x, dy },
        backend: tf.backend(),
        attrs: { strides, pad, dataFormat: 'NHWC', filterShape },
      }) as tf.TensorInfo,
    ) as tf.Tensor4D;
  registerFastCpuKernels();
  // The comparison below is only meaningful if the replacement is really in place.
  expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')?.kernelFunc).not.toBe(builtIn.kernelFunc);
});

describe('fast cpu Conv2DBackpropFilter', () => {
  const cases: { h: number; k: number; s: [number, number]; pad: 'same' | 'valid'; ci: number; co: number; n: number }[] = [
    { h: 8, k: 4, s: [2, 2], pad: 'same', ci: 1, co: 8, n: 3 },
    { h: 7, k: 5, s: [1, 1], pad: 'same', ci: 3, co: 4, n: 2 },
    { h: 9, k: 3, s: [2, 3], pad: 'valid', ci: 2, co: 5, n: 1 },
    { h: 10, k: 6, s: [3, 3], pad: 'same', ci: 4, co: 2, n: 4 },
    { h: 5, k: 1, s: [1, 2], pad: 'valid', ci: 3, co: 3, n: 2 },
  ];
  for (const c of cases) {
    it(`matches the built-in kernel: ${JSON.stringify(c)}`, () => {
      const x = tf.randomNormal([c.n, c.h, c.h + 1, c.ci], 0, 1, 'float32', 1) as tf.Tensor4D;
      const filterShape: [number, number, number, number] = [c.k, c.k, c.ci, c.co];
      const y = tf.conv2d(x, tf.zeros(filterShape) as tf.Tensor4D, c.s, c.pad);
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 2) as tf.Tensor4D;
      const expected = reference(x, dy, filterShape, c.s, c.pad);
      // The gradient of sum(conv2d(x, f) * dy) with respect to f runs Conv2DBackpropFilter.
      const actual = tf.grad((f) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, c.s, c.pad), dy)))(tf.zeros(filterShape));
      const maxError = tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0] as number;
      const scale = tf.max(tf.abs(expected)).dataSync()[0] as number;
      expect(maxError / scale).toBeLessThan(1e-5);
    });
  }
});
