/**
 * Space-to-depth (conv-space-to-depth.ts) against the cpu backend: strided
 * convs as one stride-1 correlation of X′ with W′ on the Winograd kernels,
 * through the kernels tf.conv2d, tf.fused.conv2d, tf.conv2dTranspose and
 * their gradients use — the presets' stride-2 layers as the studio runs them
 * (GAN_STUDIO_WASM_CONV unset), and other strides, filters and paddings forced
 * through it (GAN_STUDIO_WASM_CONV=space-to-depth).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { maxRelativeError, runOn } from '../test-support';
import { geometryOf } from './conv-kernels';
import { info, label, OUTPUTS, passes, type Case } from './conv-pass-fixture';
import type { ConvPass } from './conv-phases';
import { phasePlan } from './conv-phases';
import { spaceToDepth, spaceToDepthPays } from './conv-space-to-depth';

/** Winograd's bound (winograd.test.ts: ≤ ~1e-5 of the output's scale); a wrong phase, offset or flip is off by O(1). */
const TOLERANCE = 1e-4;
const PASSES: ConvPass[] = ['forward', 'backpropInput', 'backpropFilter'];

/**
 * The presets' stride-2 layers (D 14→7 / 16→8, 64→128; their transposes are G's 7→14 / 8→16, 128→64),
 * batch cut to 2, and the passes the rule sends through space-to-depth: all three (16→8's input
 * gradient too, now that its dX′ is 8×8, not 9×9).
 */
const PRESET_LAYERS: [Case, ConvPass[]][] = [
  [{ size: 14, kernel: 5, stride: 2, pad: 'same', inChannels: 64, outChannels: 128, batch: 2 }, ['forward', 'backpropInput', 'backpropFilter']],
  [{ size: 16, kernel: 5, stride: 2, pad: 'same', inChannels: 64, outChannels: 128, batch: 2 }, ['forward', 'backpropInput', 'backpropFilter']],
];

/** The pass each of OUTPUTS comes from: conv2d, fused, dx, dW, conv2dTranspose, its dz, its dW. */
const PASS_OF: ConvPass[] = ['forward', 'forward', 'backpropInput', 'backpropFilter', 'backpropInput', 'forward', 'backpropFilter'];

/** Shapes the cost rule leaves elsewhere (few channels, 2×2 or 1×… taps), forced through space-to-depth. */
const FORCED: Case[] = [
  { size: 15, kernel: 5, stride: 2, pad: 'same', inChannels: 3, outChannels: 5, batch: 2 },
  { size: 15, kernel: 5, stride: 2, pad: 'valid', inChannels: 4, outChannels: 3, batch: 2 },
  { size: 14, kernel: 3, stride: 2, pad: 'same', inChannels: 5, outChannels: 4, batch: 2 },
  { size: 7, kernel: 3, stride: 2, pad: 'valid', inChannels: 4, outChannels: 6, batch: 1 },
  { size: 16, kernel: 4, stride: 2, pad: 'same', inChannels: 6, outChannels: 3, batch: 1 },
  { size: 9, kernel: 4, stride: 2, pad: 'valid', inChannels: 3, outChannels: 4, batch: 2 },
  { size: 15, kernel: 5, stride: 3, pad: 'same', inChannels: 2, outChannels: 3, batch: 2 },
  { size: 10, kernel: 3, stride: 3, pad: 'valid', inChannels: 3, outChannels: 2, batch: 1 },
];

const worst: string[] = [];
afterAll(() => console.log(`max relative error vs cpu, space-to-depth on the Winograd kernels:\n${worst.join('\n')}`));
afterEach(() => {
  delete process.env['GAN_STUDIO_WASM_CONV'];
});

async function compare(c: Case): Promise<Float32Array[]> {
  const ours = await runOn('wasm', passes(c));
  const reference = await runOn('cpu', passes(c));
  const errors = ours.map((values, i) => maxRelativeError(values, reference[i]!));
  worst.push(`  ${label(c)}${process.env['GAN_STUDIO_WASM_CONV'] ? ' (forced)' : ''}: ${errors.map((e, i) => `${OUTPUTS[i]} ${e.toExponential(1)}`).join(', ')}`);
  errors.forEach((e) => expect(e).toBeLessThan(TOLERANCE));
  // Not zeros: the comparison would pass on an empty pass.
  reference.forEach((values) => expect(values.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeGreaterThan(0.1));
  return ours;
}

describe('space-to-depth: the presets stride-2 layers as the studio runs them match the cpu backend', () => {
  it.each(PRESET_LAYERS.map(([c, ran]) => [label(c), c, ran] as const))('%s', async (_name, c, ran) => {
    const g = geometryOf(info(c));
    // The rule picks space-to-depth for these passes; the phase split alone would pay on none.
    for (const pass of PASSES) {
      expect(spaceToDepthPays(pass, g)).toBe(ran.includes(pass));
      expect(phasePlan(pass, g, { x: 0, filter: 0, y: 0 })).toBeUndefined();
    }
    const ours = await compare(c);
    // It ran: those passes' outputs differ in their rounding from the direct kernels' (the only other path); the rest are theirs.
    process.env['GAN_STUDIO_WASM_CONV'] = 'direct';
    const direct = await runOn('wasm', passes(c));
    direct.forEach((values, i) => (ran.includes(PASS_OF[i]!) ? expect(maxRelativeError(values, ours[i]!)).toBeGreaterThan(0) : expect(values).toEqual(ours[i])));
  });
});

describe('space-to-depth forced on odd sizes, valid padding, 3×3, 4×4 and stride 3', () => {
  it.each(FORCED.map((c) => [label(c), c] as const))('%s', async (_name, c) => {
    process.env['GAN_STUDIO_WASM_CONV'] = 'space-to-depth';
    PASSES.forEach((pass) => expect(spaceToDepthPays(pass, geometryOf(info(c)))).toBe(true));
    await compare(c);
  });

  it('frees every intermediate (tensor count and wasm bytes unchanged)', async () => {
    await runOn('wasm', () => []);
    process.env['GAN_STUDIO_WASM_CONV'] = 'space-to-depth';
    tf.dispose(passes(FORCED[0]!)());
    const before = tf.memory();
    tf.dispose(passes(FORCED[0]!)());
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });
});

describe('spaceToDepthPays and the X′/W′ shapes', () => {
  const layer = (c: Partial<Case>) => geometryOf(info({ ...PRESET_LAYERS[0]![0], ...c }));

  it('turns 5×5 stride 2 on 64 channels into 3×3 on 256 at offset −1, X′ on x’s grid halved', () => {
    // 'same' 14 → 7, padTop 1: taps kh − 1 = 2i + a for i = −1 … 1; X′ (and dX′) 7×7.
    expect(spaceToDepth(layer({}))).toEqual({ taps: [3, 3], offset: [-1, -1], height: 7, width: 7, channels: 256 });
    // 16 → 8: X′ and dX′ 8×8 (2×2 F(4, 3) tiles), not 9×9.
    expect(spaceToDepth(layer({ size: 16 }))).toEqual({ taps: [3, 3], offset: [-1, -1], height: 8, width: 8, channels: 256 });
    // 'valid' 15, 5×5: no padding, offset 0, ⌈15/2⌉ = 8 rows.
    expect(spaceToDepth(layer({ size: 15, pad: 'valid' }))).toEqual({ taps: [3, 3], offset: [0, 0], height: 8, width: 8, channels: 256 });
    // 5×5 stride 3 'same' on 14 (padTop 1): kh − 1 = −1 … 3 spans i = −1 … 1, 3×3 on 9·C (the padding costs a tap where ⌈5/3⌉ = 2).
    expect(spaceToDepth(layer({ kernel: 5, stride: 3 }))).toEqual({ taps: [3, 3], offset: [-1, -1], height: 5, width: 5, channels: 576 });
  });

  it('leaves 2×2-tap results, narrow layers, stride 1 and dilation elsewhere; never with direct or phases', () => {
    // 4×4 stride 2 → 2×2 taps: Winograd does not pay on 2 taps (winograd-plan.ts), so the phase split / direct decide.
    expect(spaceToDepthPays('forward', layer({ kernel: 4 }))).toBe(false);
    // The discriminator's first layer: 1 input channel → 4, and its 128 → 1 head side.
    expect(spaceToDepthPays('forward', layer({ inChannels: 1, size: 28 }))).toBe(false);
    expect(spaceToDepthPays('forward', layer({ stride: 1 }))).toBe(false);
    expect(spaceToDepthPays('forward', { ...layer({}), dilationHeight: 2 })).toBe(false);
    process.env['GAN_STUDIO_WASM_CONV'] = 'direct';
    expect(spaceToDepthPays('forward', layer({}))).toBe(false);
    process.env['GAN_STUDIO_WASM_CONV'] = 'phases';
    expect(spaceToDepthPays('forward', layer({}))).toBe(false);
  });
});
