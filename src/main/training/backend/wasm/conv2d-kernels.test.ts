import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { maxRelativeError, runOn, seededValues } from './test-support';

/**
 * float32 rounding over sums of up to a few hundred terms stays well below
 * this (a 1×1 filter gradient that is a sum of six cancelling terms reaches 3e-6).
 */
const TOLERANCE = 1e-5;

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

interface Case {
  size: [number, number];
  kernel: number;
  strides: [number, number];
  pad: Pad;
  batch: number;
  inChannels: number;
  outChannels: number;
}

const explicit: Pad = [
  [0, 0],
  [1, 2],
  [2, 0],
  [0, 0],
];

// More padding than the kernel reaches: some dx rows see only padding in dy.
const wideExplicit: Pad = [
  [0, 0],
  [4, 0],
  [0, 5],
  [0, 0],
];

function cases(): Case[] {
  const out: Case[] = [];
  const strides: [number, number][] = [
    [1, 1],
    [2, 2],
    [3, 3],
    [1, 2],
    [3, 2],
  ];
  let i = 0;
  for (const s of strides) {
    for (let kernel = 1; kernel <= 6; kernel++) {
      for (const pad of ['same', 'valid', explicit, wideExplicit] as Pad[]) {
        for (const size of [
          [7, 8],
          [6, 6],
          [2, 3],
        ] as [number, number][]) {
          // Alternate channel/batch shapes so every stride/kernel/pad meets both.
          const many = i++ % 2 === 0;
          out.push({
            size,
            kernel,
            strides: s,
            pad,
            batch: many ? 3 : 1,
            inChannels: many ? 4 : 1,
            outChannels: many ? 5 : 1,
          });
        }
      }
    }
  }
  return out;
}

function label(c: Case): string {
  const pad = typeof c.pad === 'string' ? c.pad : `explicit ${JSON.stringify(c.pad.slice(1, 3))}`;
  return `${c.size.join('×')} k${c.kernel} s${c.strides.join('×')} ${pad} n${c.batch} ci${c.inChannels} co${c.outChannels}`;
}

/** dW and dx of a conv with these settings, via the same kernels tf's gradients use. */
function gradients(c: Case): () => tf.Tensor[] {
  const [h, w] = c.size;
  const xShape: [number, number, number, number] = [c.batch, h, w, c.inChannels];
  const fShape: [number, number, number, number] = [c.kernel, c.kernel, c.inChannels, c.outChannels];
  return () => {
    const x = tf.tensor4d(seededValues(xShape.reduce((a, b) => a * b), 1), xShape);
    const f = tf.tensor4d(seededValues(fShape.reduce((a, b) => a * b), 2), fShape);
    const y = tf.conv2d(x, f, c.strides, c.pad);
    const yShape = y.shape;
    y.dispose();
    const dy = tf.tensor4d(seededValues(yShape.reduce((a, b) => a * b), 3), yShape);
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC' };
    const dw = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { ...attrs, filterShape: fShape }) as tf.Tensor;
    const dx = tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter: f }, { ...attrs, inputShape: xShape }) as tf.Tensor;
    tf.dispose([x, f, dy]);
    return [dw, dx];
  };
}

/**
 * XNNPACK rejecting a geometry only logs ("XNN status … not successful") and
 * leaves the output unwritten, which may happen to hold the right zeros. The
 * wasm module binds console.warn when it initialises, so spy before that.
 */
const warnings = vi.spyOn(console, 'warn');
const xnnErrors = () => warnings.mock.calls.flat().filter((m) => String(m).includes('XNN status'));

describe('wasm Conv2DBackpropFilter / Conv2DBackpropInput match the cpu backend', () => {
  const worst = { filter: 0, input: 0 };
  afterAll(() => {
    console.log(`max relative error vs cpu: Conv2DBackpropFilter ${worst.filter.toExponential(2)}, Conv2DBackpropInput ${worst.input.toExponential(2)}`);
  });

  const outputSize = (c: Case) =>
    tf.backend_util.computeConv2DInfo([c.batch, ...c.size, c.inChannels], [c.kernel, c.kernel, c.inChannels, c.outChannels], c.strides, 1, c.pad)
      .outShape;
  // Drop geometries with an empty output (a window larger than the padded image).
  const valid = cases().filter((c) => outputSize(c).every((d) => d > 0));
  it.each(valid.map((c) => [label(c), c] as const))('%s', async (_name, c) => {
    warnings.mockClear();
    const [dw, dx] = await runOn('wasm', gradients(c));
    expect(xnnErrors()).toEqual([]);
    const [refDw, refDx] = await runOn('cpu', gradients(c));
    const filterErr = maxRelativeError(dw!, refDw!);
    const inputErr = maxRelativeError(dx!, refDx!);
    worst.filter = Math.max(worst.filter, filterErr);
    worst.input = Math.max(worst.input, inputErr);
    expect(filterErr).toBeLessThan(TOLERANCE);
    expect(inputErr).toBeLessThan(TOLERANCE);
  });

  it('keeps every kernel size 1–6 and stride 1–3 in the grid', () => {
    expect(new Set(valid.map((c) => c.kernel))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(new Set(valid.flatMap((c) => c.strides))).toEqual(new Set([1, 2, 3]));
  });

  it('frees every intermediate (tensor count and wasm bytes unchanged)', async () => {
    await runOn('wasm', () => []);
    const c = cases()[40]!;
    tf.dispose(gradients(c)());
    const before = tf.memory();
    tf.dispose(gradients(c)());
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(after.numTensors).toBe(0);
  });
});
