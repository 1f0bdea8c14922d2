/**
 * The phase split (conv-phases.ts) against the cpu backend: with
 * GAN_STUDIO_WASM_CONV=phases every conv pass that splits runs as its
 * stride-1 correlations on the Winograd engine (winograd.ts), through the
 * same kernels tf.conv2d, tf.conv2dTranspose and their gradients use.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maxRelativeError, runOn } from '../test-support';
import { convSetting, phaseCorrelations, phasePlan } from './conv-phases';
import type { ConvPass } from './conv-phases';
import { geometryOf } from './conv-kernels';
import { info, label, OUTPUTS, passes, type Case } from './conv-pass-fixture';

/**
 * The correlations run on the Winograd kernels: ≤ ~1e-5 of the output's scale (winograd.test.ts). A wrong
 * phase, offset or flip is off by O(1), so this bound still pins the decomposition.
 */
const TOLERANCE = 1e-4;

/** The presets' layer shapes (channels cut down to keep the cases small), odd sizes and 1 or 3 input channels. */
const CASES: Case[] = [
  { size: 7, kernel: 5, stride: 1, pad: 'same', inChannels: 8, outChannels: 6, batch: 2 },
  { size: 8, kernel: 5, stride: 1, pad: 'same', inChannels: 5, outChannels: 9, batch: 1 },
  { size: 14, kernel: 5, stride: 2, pad: 'same', inChannels: 4, outChannels: 8, batch: 2 },
  { size: 28, kernel: 5, stride: 2, pad: 'same', inChannels: 1, outChannels: 4, batch: 1 },
  { size: 16, kernel: 5, stride: 2, pad: 'same', inChannels: 3, outChannels: 5, batch: 2 },
  { size: 16, kernel: 4, stride: 2, pad: 'same', inChannels: 6, outChannels: 3, batch: 1 },
  { size: 8, kernel: 4, stride: 2, pad: 'same', inChannels: 3, outChannels: 4, batch: 2 },
  { size: 7, kernel: 3, stride: 1, pad: 'same', inChannels: 4, outChannels: 4, batch: 2 },
  { size: 15, kernel: 3, stride: 2, pad: 'same', inChannels: 3, outChannels: 8, batch: 1 },
  { size: 7, kernel: 3, stride: 2, pad: 'same', inChannels: 1, outChannels: 5, batch: 3 },
  { size: 15, kernel: 5, stride: 2, pad: 'valid', inChannels: 3, outChannels: 4, batch: 2 },
  { size: 7, kernel: 3, stride: 2, pad: 'valid', inChannels: 4, outChannels: 6, batch: 2 },
  { size: 8, kernel: 3, stride: 1, pad: 'valid', inChannels: 1, outChannels: 3, batch: 4 },
  { size: 15, kernel: 5, stride: 3, pad: 'same', inChannels: 2, outChannels: 3, batch: 1 },
];

const ANY_ADDRESS = { x: 0, filter: 0, y: 0 };

describe('conv-phases: every conv pass as stride-1 correlations matches the cpu backend', () => {
  const worst: string[] = [];
  beforeEach(() => {
    process.env['GAN_STUDIO_WASM_CONV'] = 'phases';
  });
  afterEach(() => {
    delete process.env['GAN_STUDIO_WASM_CONV'];
  });
  afterAll(() => console.log(`max relative error vs cpu, phase split on the Winograd kernels:\n${worst.join('\n')}`));

  it.each(CASES.map((c) => [label(c), c] as const))('%s', async (_name, c) => {
    // The split applies to every pass of these shapes, so the numbers below are the phases'.
    const g = geometryOf(info(c));
    for (const pass of ['forward', 'backpropInput', 'backpropFilter'] as ConvPass[]) {
      expect(phasePlan(pass, g, ANY_ADDRESS)?.length).toBe(pass === 'backpropInput' ? Math.min(c.stride, c.size) ** 2 : Math.min(c.stride, c.kernel) ** 2);
    }
    const ours = await runOn('wasm', passes(c));
    const reference = await runOn('cpu', passes(c));
    const errors = ours.map((values, i) => maxRelativeError(values, reference[i]!));
    worst.push(`  ${label(c)}: ${errors.map((e, i) => `${OUTPUTS[i]} ${e.toExponential(1)}`).join(', ')}`);
    errors.forEach((e) => expect(e).toBeLessThan(TOLERANCE));
    // Not zeros: the comparison would pass on an empty pass.
    reference.forEach((values) => expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(0.1));
  });

  it('frees every intermediate (tensor count and wasm bytes unchanged)', async () => {
    await runOn('wasm', () => []);
    tf.dispose(passes(CASES[2]!)());
    const before = tf.memory();
    tf.dispose(passes(CASES[2]!)());
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });
});

describe('phasePlan', () => {
  afterEach(() => {
    delete process.env['GAN_STUDIO_WASM_CONV'];
  });
  const layer = (c: Case) => geometryOf(info(c));
  // tf-tutorial's D layer 64 → 128, 5×5 stride 2 on 14×14: phases of 3×3, 3×2, 2×3 and 2×2 taps.
  const wide: Case = { size: 14, kernel: 5, stride: 2, pad: 'same', inChannels: 64, outChannels: 128, batch: 1 };

  it('splits a stride-2 5×5 conv into four phases with their taps, offsets and views', () => {
    const g = layer(wide);
    expect([g.padTop, g.padLeft]).toEqual([1, 1]);
    const [first, second, , last] = phaseCorrelations('forward', g, { x: 1000, filter: 2000, y: 3000 })!;
    // Taps 0, 2, 4 read x rows 2o + 2i − 1 = 2(o + i − 1) + 1: the odd rows, phase row o + i − 1.
    expect(first).toMatchObject({ filterHeight: 3, filterWidth: 3, offsetY: -1, offsetX: -1, accumulate: false });
    expect(first!.input).toEqual({ base: 1000 + 4 * (14 + 1) * 64, strides: [14 * 14 * 64, 2 * 14 * 64, 2 * 64, 1], height: 7, width: 7 });
    expect(first!.filter).toEqual({ base: 2000, strides: [2 * 5 * 64 * 128, 2 * 64 * 128, 128, 1] });
    expect(first!.output).toEqual({ base: 3000, strides: [7 * 7 * 128, 7 * 128, 128, 1] });
    // Taps 1, 3 along x read x columns 2(o + j): the even columns, offset 0; the phases after the first accumulate.
    expect(second).toMatchObject({ filterHeight: 3, filterWidth: 2, offsetY: -1, offsetX: 0, accumulate: true });
    expect(second!.input.base).toBe(1000 + 4 * 14 * 64);
    expect(second!.filter.base).toBe(2000 + 4 * 64 * 128);
    expect(last).toMatchObject({ filterHeight: 2, filterWidth: 2, offsetY: 0, offsetX: 0, accumulate: true });
    expect(last!.input.base).toBe(1000);
    expect(last!.filter.base).toBe(2000 + 4 * (5 + 1) * 64 * 128);
  });

  it('flips the taps and swaps the channels for the input gradient', () => {
    const g = layer(wide);
    const [first] = phaseCorrelations('backpropInput', g, { x: 1000, filter: 2000, y: 3000 })!;
    // dx row 2u (2u + 1 = 2u + pad) meets taps 1, 3 at dy rows u, u − 1: taps 3, 1 in order, offset −1.
    expect(first).toMatchObject({ inChannels: 128, outChannels: 64, filterHeight: 2, filterWidth: 2, offsetY: -1, offsetX: -1, outHeight: 7, accumulate: false });
    expect(first!.input).toEqual({ base: 3000, strides: [7 * 7 * 128, 7 * 128, 128, 1], height: 7, width: 7 });
    expect(first!.filter).toEqual({ base: 2000 + 4 * (3 * 5 + 3) * 64 * 128, strides: [-2 * 5 * 64 * 128, -2 * 64 * 128, 1, 128] });
    expect(first!.output).toEqual({ base: 1000, strides: [14 * 14 * 64, 2 * 14 * 64, 2 * 64, 1] });
  });

  it('runs the direct kernels where a phase would not pay, and always with GAN_STUDIO_WASM_CONV=direct', () => {
    // tf-tutorial's generator layer: 5×5 stride 1, 256→128 on 7×7 — one correlation, Winograd pays.
    const generatorLayer: Case = { size: 7, kernel: 5, stride: 1, pad: 'same', inChannels: 256, outChannels: 128, batch: 1 };
    expect(phasePlan('forward', layer(generatorLayer), ANY_ADDRESS)).toHaveLength(1);
    // An RGB first layer: 3 input channels.
    expect(phasePlan('forward', layer({ ...generatorLayer, inChannels: 3 }), ANY_ADDRESS)).toBeUndefined();
    // 5×5 stride 2: its 3×2, 2×3 and 2×2 phases do not pay, so the whole pass stays direct.
    expect(phasePlan('forward', layer(wide), ANY_ADDRESS)).toBeUndefined();
    // 3×3 stride 2: the odd phases have one tap along an axis.
    expect(phasePlan('forward', layer({ ...generatorLayer, stride: 2, kernel: 3, size: 14 }), ANY_ADDRESS)).toBeUndefined();
    process.env['GAN_STUDIO_WASM_CONV'] = 'direct';
    expect(phasePlan('forward', layer(generatorLayer), ANY_ADDRESS)).toBeUndefined();
  });

  it('leaves dilated convs and dx phases without taps to the direct kernels', () => {
    expect(phaseCorrelations('forward', { ...layer(wide), dilationHeight: 2 }, ANY_ADDRESS)).toBeUndefined();
    // A 1×1 kernel at stride 2 reaches only the even rows of dx.
    expect(phaseCorrelations('backpropInput', layer({ ...wide, kernel: 1 }), ANY_ADDRESS)).toBeUndefined();
  });

  it('refuses an unknown GAN_STUDIO_WASM_CONV by name', () => {
    expect(convSetting({})).toBe('auto');
    expect(convSetting({ GAN_STUDIO_WASM_CONV: 'direct' })).toBe('direct');
    expect(convSetting({ GAN_STUDIO_WASM_CONV: 'space-to-depth' })).toBe('space-to-depth');
    expect(() => convSetting({ GAN_STUDIO_WASM_CONV: 'winograd' })).toThrow('GAN_STUDIO_WASM_CONV must be "direct", "phases" or "space-to-depth" (or unset), got "winograd"');
  });
});
