import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { maxRelativeError, runOn, seededValues } from './test-support';

/**
 * float32 rounding over sums of up to a few hundred terms stays well below
 * this (a 1×1 filter gradient that is a sum of six cancelling terms reaches 3e-6).
 */
const TOLERANCE = 1e-5;
/**
 * Winograd's transforms add and subtract scaled copies of the inputs before
 * the products (points ±2, ±½ at n = 8), so its float32 sums sit further from
 * the exact ones: up to ~3e-5 here, 1e-5 of the output's scale on the
 * presets' layers (winograd.test.ts prints them).
 */
const WINOGRAD_TOLERANCE = 1e-4;

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

/** [batch, inChannels, outChannels] */
const CHANNELS: [number, number, number][] = [
  [3, 4, 5],
  [1, 1, 1],
  [2, 3, 16],
  [1, 8, 2],
  [2, 12, 13],
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
          // Rotate channel/batch shapes so every stride/kernel/pad meets each of the
          // studio kernels' paths: few input channels (gathered), few outputs (dot
          // products), full 8-column tiles and their 4- and 1-column tails.
          const [batch, inChannels, outChannels] = CHANNELS[i++ % CHANNELS.length]!;
          out.push({ size, kernel, strides: s, pad, batch, inChannels, outChannels });
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

/** The forward conv (plain, and fused with a bias), dW and dx, via the same kernels tf's layers and gradients use. */
function gradients(c: Case): () => tf.Tensor[] {
  const [h, w] = c.size;
  const xShape: [number, number, number, number] = [c.batch, h, w, c.inChannels];
  const fShape: [number, number, number, number] = [c.kernel, c.kernel, c.inChannels, c.outChannels];
  return () => {
    const x = tf.tensor4d(seededValues(xShape.reduce((a, b) => a * b), 1), xShape);
    const f = tf.tensor4d(seededValues(fShape.reduce((a, b) => a * b), 2), fShape);
    const bias = tf.tensor1d(seededValues(c.outChannels, 4));
    const y = tf.conv2d(x, f, c.strides, c.pad);
    const fused = tf.fused.conv2d({ x, filter: f, strides: c.strides, pad: c.pad, bias, activation: 'sigmoid' });
    const dy = tf.tensor4d(seededValues(y.shape.reduce((a, b) => a * b), 3), y.shape);
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC' };
    const dw = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { ...attrs, filterShape: fShape }) as tf.Tensor;
    const dx = tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter: f }, { ...attrs, inputShape: xShape }) as tf.Tensor;
    tf.dispose([x, f, dy, bias]);
    return [dw, dx, y, fused];
  };
}

/**
 * XNNPACK rejecting a geometry only logs ("XNN status … not successful") and
 * leaves the output unwritten, which may happen to hold the right zeros. The
 * wasm module binds console.warn when it initialises, so spy before that.
 */
const warnings = vi.spyOn(console, 'warn');
const xnnErrors = () => warnings.mock.calls.flat().filter((m) => String(m).includes('XNN status'));

/**
 * GAN_STUDIO_WASM_CONV: `direct` pins the direct kernels (every path of
 * them, which the automatic choice would send partly to the phase split),
 * `phases` runs every conv that splits as stride-1 correlations (conv-phases.ts),
 * `space-to-depth` every strided one as one stride-1 correlation on s²·C
 * channels (conv-space-to-depth.ts; the stride-1 ones as unset).
 */
describe.each(['direct', 'phases', 'space-to-depth'])('GAN_STUDIO_WASM_CONV=%s: wasm Conv2D / FusedConv2D / Conv2DBackpropFilter / Conv2DBackpropInput match the cpu backend', (conv) => {
  const worst = { filter: 0, input: 0, forward: 0, fused: 0 };
  const tolerance = conv === 'direct' ? TOLERANCE : WINOGRAD_TOLERANCE;
  beforeEach(() => {
    process.env['GAN_STUDIO_WASM_CONV'] = conv;
  });
  afterEach(() => {
    delete process.env['GAN_STUDIO_WASM_CONV'];
  });
  afterAll(() => {
    console.log(
      `${conv}: max relative error vs cpu: Conv2DBackpropFilter ${worst.filter.toExponential(2)}, Conv2DBackpropInput ${worst.input.toExponential(2)}, ` +
        `Conv2D ${worst.forward.toExponential(2)}, FusedConv2D (bias, sigmoid) ${worst.fused.toExponential(2)}`,
    );
  });

  const outputSize = (c: Case) =>
    tf.backend_util.computeConv2DInfo([c.batch, ...c.size, c.inChannels], [c.kernel, c.kernel, c.inChannels, c.outChannels], c.strides, 1, c.pad)
      .outShape;
  // Drop geometries with an empty output (a window larger than the padded image).
  const valid = cases().filter((c) => outputSize(c).every((d) => d > 0));
  it.each(valid.map((c) => [label(c), c] as const))('%s', async (_name, c) => {
    warnings.mockClear();
    const ours = await runOn('wasm', gradients(c));
    expect(xnnErrors()).toEqual([]);
    const reference = await runOn('cpu', gradients(c));
    const [filterErr, inputErr, forwardErr, fusedErr] = ours.map((values, i) => maxRelativeError(values, reference[i]!));
    worst.filter = Math.max(worst.filter, filterErr!);
    worst.input = Math.max(worst.input, inputErr!);
    worst.forward = Math.max(worst.forward, forwardErr!);
    worst.fused = Math.max(worst.fused, fusedErr!);
    expect(filterErr).toBeLessThan(tolerance);
    expect(inputErr).toBeLessThan(tolerance);
    expect(forwardErr).toBeLessThan(tolerance);
    expect(fusedErr).toBeLessThan(tolerance);
  });

  it('matches on a large filter, whose taps go in chunks that keep the weights in cache', async () => {
    // 128→256 channels, 3×3: 128 KB of weights per tap, so the product runs two taps at a time.
    const big: Case = { size: [6, 5], kernel: 3, strides: [1, 1], pad: 'same', batch: 2, inChannels: 128, outChannels: 256 };
    const ours = await runOn('wasm', gradients(big));
    const reference = await runOn('cpu', gradients(big));
    ours.forEach((values, i) => expect(maxRelativeError(values, reference[i]!)).toBeLessThan(tolerance));
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
