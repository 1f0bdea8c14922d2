/**
 * Winograd's correlate and correlateFilterGradient against the direct
 * float64 references (correlation.ts) on a real wasm heap: every tap shape
 * the studio's phases have, grids whose tiles run past the edge, padding
 * offsets, phase-strided views, flipped and transposed filters, channel
 * counts off the vector width, accumulate on and off. Elements outside the
 * views must not move. Prints each case's max relative error.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WasmBackendLike } from '../kernel-ops';
import { maxRelativeError, useWasm } from '../test-support';
import { studioKernels } from './conv-kernels';
import { correlateFilterGradientReference, correlateReference, type Correlation } from './correlation';
import { instantiateSimdKernels, type SimdKernels } from './simd-runtime';
import { correlate, correlateFilterGradient, winogradPays } from './winograd';
import { placeCorrelation, read, write, type Buffer, type CorrelationCase } from './winograd-fixture';
import { tilePlan } from './winograd-plan';

/**
 * float32 Winograd's error relative to the output's scale: the transforms'
 * coefficients (up to 2⁶ at n = 8 with points ±2, ±½) amplify rounding of
 * the 4-byte products before the sums cancel it back; measured ≤ 1e-5 on
 * these cases at n = 8 (F(4, 5)), ≤ 3e-6 at n ≤ 6. The direct kernels reach ~1e-6.
 */
const BOUND = 1e-4;

const base: CorrelationCase = {
  batch: 2,
  outHeight: 7,
  outWidth: 7,
  inChannels: 13,
  outChannels: 3,
  filterHeight: 5,
  filterWidth: 5,
  offsetY: -2,
  offsetX: -2,
  inputHeight: 7,
  inputWidth: 7,
  phase: false,
  filter: 'plain',
  accumulate: false,
};

const CASES: [string, Partial<CorrelationCase>][] = [
  ['5×5 7×7 13→3', {}],
  ['5×5 8×8 64→128 accumulate', { batch: 1, outHeight: 8, outWidth: 8, inputHeight: 8, inputWidth: 8, inChannels: 64, outChannels: 128, accumulate: true }],
  ['5×5 4×5 offset −1 3→13 flipped', { outHeight: 4, outWidth: 5, inputHeight: 4, inputWidth: 5, offsetY: -1, offsetX: 0, inChannels: 3, outChannels: 13, filter: 'flipped' }],
  ['5×5 7×7 128→64 transposed+flipped', { batch: 1, inChannels: 128, outChannels: 64, filter: 'transposed-flipped' }],
  ['3×3 14×14 offset −1 13→13 accumulate', { filterHeight: 3, filterWidth: 3, outHeight: 14, outWidth: 14, inputHeight: 14, inputWidth: 14, offsetY: -1, offsetX: -1, outChannels: 13, accumulate: true }],
  ['3×3 7×7 phase 16→8 flipped', { filterHeight: 3, filterWidth: 3, inputHeight: 8, inputWidth: 8, offsetY: -1, offsetX: 0, inChannels: 16, outChannels: 8, phase: true, filter: 'flipped' }],
  ['3×2 4×5 offset 0 13→3 phase', { filterHeight: 3, filterWidth: 2, outHeight: 4, outWidth: 5, inputHeight: 5, inputWidth: 5, offsetY: 0, offsetX: 0, phase: true }],
  ['2×3 7×7 offset −1/−2 3→13 transposed+flipped accumulate', { filterHeight: 2, filterWidth: 3, offsetY: -1, offsetX: -2, inChannels: 3, outChannels: 13, filter: 'transposed-flipped', accumulate: true }],
  ['2×2 8×8 offset 0 13→13 phase flipped', { filterHeight: 2, filterWidth: 2, outHeight: 8, outWidth: 8, inputHeight: 8, inputWidth: 8, offsetY: 0, offsetX: 0, outChannels: 13, phase: true, filter: 'flipped' }],
  ['2×2 7×7 offset −1 64→64', { batch: 1, filterHeight: 2, filterWidth: 2, offsetY: -1, offsetX: -1, inChannels: 64, outChannels: 64 }],
];

let backend: WasmBackendLike;
let kernels: SimdKernels;
const errors: string[] = [];

beforeAll(async () => {
  await useWasm();
  backend = tf.backend() as unknown as WasmBackendLike;
  kernels = studioKernels(backend)!;
});

afterAll(() => {
  console.log(`max relative error per case:\n${errors.join('\n')}`);
});

type Run = (heap: Float32Array, c: Correlation) => void;

/**
 * Runs `fast` and `reference` on the same starting values; returns the
 * destination's values from each (the run's other buffers are checked unchanged).
 */
function compare(k: CorrelationCase, seed: number, destination: 'output' | 'filter', fast: Run, reference: Run): { got: Float32Array; want: Float32Array; before: Float32Array } {
  const placed = placeCorrelation(backend, k, seed);
  try {
    const buffers: Buffer[] = [placed.input, placed.filter, placed.output];
    const before = buffers.map((b) => read(backend, b));
    fast(new Float32Array(0), placed.c);
    const got = buffers.map((b) => read(backend, b));
    buffers.forEach((b, i) => write(backend, b, before[i]!));
    reference(new Float32Array(backend.typedArrayFromHeap(placed.input.info).buffer), placed.c);
    const want = buffers.map((b) => read(backend, b));
    const d = destination === 'output' ? 2 : 1;
    // Sources are read only.
    for (let i = 0; i < 3; i++) if (i !== d) expect(got[i]).toEqual(before[i]);
    return { got: got[d]!, want: want[d]!, before: before[d]! };
  } finally {
    placed.dispose();
  }
}

/** Elements the reference left alone must be untouched (bit for bit) by the fast path too. */
function expectUntouchedKept({ got, want, before }: { got: Float32Array; want: Float32Array; before: Float32Array }): void {
  let moved = 0;
  for (let i = 0; i < want.length; i++) if (Object.is(want[i], before[i]) && !Object.is(got[i], before[i])) moved++;
  expect(moved).toBe(0);
}

describe('Winograd correlate', () => {
  it.each(CASES)('%s matches the direct sum', (name, overrides) => {
    const k = { ...base, ...overrides };
    const run = compare(k, 11, 'output', (_, c) => correlate(backend, kernels, c), correlateReference);
    const err = maxRelativeError(run.got, run.want);
    const plan = tilePlan({ ...k } as unknown as Correlation);
    errors.push(`forward  ${name.padEnd(56)} F(${plan.y.m},${plan.y.r})×F(${plan.x.m},${plan.x.r})  ${err.toExponential(2)}`);
    expect(err).toBeLessThan(BOUND);
    expectUntouchedKept(run);
  });
});

describe('Winograd correlateFilterGradient', () => {
  it.each(CASES)('%s matches the direct sum', (name, overrides) => {
    const k = { ...base, ...overrides };
    const run = compare(k, 23, 'filter', (_, c) => correlateFilterGradient(backend, kernels, c), correlateFilterGradientReference);
    const err = maxRelativeError(run.got, run.want);
    errors.push(`gradient ${name.padEnd(56)} ${err.toExponential(2)}`);
    expect(err).toBeLessThan(BOUND);
    expectUntouchedKept(run);
  });
});

describe('Winograd in chunks of images', () => {
  // 5 images in chunks of 2 (the last one short): V and the filter gradient's dU carry across chunks.
  const k: CorrelationCase = { ...base, batch: 5, inChannels: 20, outChannels: 9, accumulate: true };
  const perImage = 4 * 64 * (20 + 9) * 4;
  const options = { chunkBytes: 2 * perImage };
  it('computes the forward sum image chunk by image chunk', () => {
    const run = compare(k, 41, 'output', (_, c) => correlate(backend, kernels, c, options), correlateReference);
    expect(maxRelativeError(run.got, run.want)).toBeLessThan(BOUND);
    expectUntouchedKept(run);
  });
  it('sums the filter gradient over every chunk', () => {
    const run = compare(k, 43, 'filter', (_, c) => correlateFilterGradient(backend, kernels, c, options), correlateFilterGradientReference);
    expect(maxRelativeError(run.got, run.want)).toBeLessThan(BOUND);
  });
});

describe('Winograd on the SIMD128 build (multiply, then add: runtimes without relaxed SIMD)', () => {
  it.each([CASES[1]!, CASES[7]!])('%s matches the direct sums', (name, overrides) => {
    const previous = process.env['GAN_STUDIO_WASM_SIMD'];
    process.env['GAN_STUDIO_WASM_SIMD'] = 'simd128';
    let simd128: SimdKernels;
    try {
      simd128 = instantiateSimdKernels(kernels.memory);
    } finally {
      if (previous === undefined) delete process.env['GAN_STUDIO_WASM_SIMD'];
      else process.env['GAN_STUDIO_WASM_SIMD'] = previous;
    }
    expect(simd128.kind).toBe('simd128');
    const k = { ...base, ...overrides };
    const forward = compare(k, 31, 'output', (_, c) => correlate(backend, simd128, c), correlateReference);
    const gradient = compare(k, 37, 'filter', (_, c) => correlateFilterGradient(backend, simd128, c), correlateFilterGradientReference);
    errors.push(`simd128  ${name.padEnd(56)} ${maxRelativeError(forward.got, forward.want).toExponential(2)} / ${maxRelativeError(gradient.got, gradient.want).toExponential(2)}`);
    expect(maxRelativeError(forward.got, forward.want)).toBeLessThan(BOUND);
    expect(maxRelativeError(gradient.got, gradient.want)).toBeLessThan(BOUND);
  });
});

describe('Winograd resources', () => {
  it('keeps the heap and the tensor count flat over 20 calls of each', () => {
    const placed = placeCorrelation(backend, { ...base, batch: 4, inChannels: 32, outChannels: 16 }, 5);
    try {
      const once = () => {
        correlate(backend, kernels, placed.c);
        correlateFilterGradient(backend, kernels, placed.c);
      };
      once();
      const tensors = tf.memory().numTensors;
      const heap = kernels.memory.buffer.byteLength;
      const dataIds = (backend as unknown as { numDataIds(): number }).numDataIds();
      for (let i = 0; i < 20; i++) once();
      expect(tf.memory().numTensors).toBe(tensors);
      expect(kernels.memory.buffer.byteLength).toBe(heap);
      expect((backend as unknown as { numDataIds(): number }).numDataIds()).toBe(dataIds);
    } finally {
      placed.dispose();
    }
  });
});

describe('winogradPays', () => {
  const layer = (overrides: Partial<Correlation>): Correlation => ({ ...(base as unknown as Correlation), ...overrides });
  // What npm run bench:winograd measured (docs/backends.md): wins on 5×5 and 3×3 with ≥ 64 channels, losses elsewhere.
  it('takes the generator’s 5×5 256→128 layers and its 3×3 phases', () => {
    expect(winogradPays(layer({ outHeight: 7, outWidth: 7, inChannels: 256, outChannels: 128 }))).toBe(true);
    expect(winogradPays(layer({ outHeight: 8, outWidth: 8, inChannels: 256, outChannels: 128 }))).toBe(true);
    expect(winogradPays(layer({ filterHeight: 3, filterWidth: 3, inChannels: 128, outChannels: 64 }))).toBe(true);
    expect(winogradPays(layer({ filterHeight: 3, filterWidth: 3, inChannels: 64, outChannels: 128 }))).toBe(true);
  });

  it('tiles as measured best: F(4, r) per axis on the 7×7 and 8×8 grids, smaller tiles where they cover the grid with less waste', () => {
    const plan = (overrides: Partial<Correlation>): string => {
      const p = tilePlan(layer({ inChannels: 128, outChannels: 64, ...overrides }));
      return `F(${p.y.m},${p.y.r})×F(${p.x.m},${p.x.r})`;
    };
    expect(plan({ outHeight: 7, outWidth: 7, inChannels: 256, outChannels: 128 })).toBe('F(4,5)×F(4,5)');
    expect(plan({ outHeight: 8, outWidth: 8, inChannels: 256, outChannels: 128 })).toBe('F(4,5)×F(4,5)');
    expect(plan({ filterHeight: 3, filterWidth: 3 })).toBe('F(4,3)×F(4,3)');
    expect(plan({ filterHeight: 3, filterWidth: 2 })).toBe('F(4,3)×F(4,2)');
    expect(plan({ filterHeight: 2, filterWidth: 2 })).toBe('F(4,2)×F(4,2)');
    expect(plan({ outHeight: 4, outWidth: 5 })).toBe('F(4,5)×F(3,5)');
  });

  it('leaves 3×2, 2×2, 1×1, narrow and one-pixel layers to the direct kernel', () => {
    expect(winogradPays(layer({ filterHeight: 3, filterWidth: 2, inChannels: 128, outChannels: 64 }))).toBe(false);
    expect(winogradPays(layer({ filterHeight: 2, filterWidth: 2, inChannels: 128, outChannels: 64 }))).toBe(false);
    expect(winogradPays(layer({ filterHeight: 1, filterWidth: 1, inChannels: 256, outChannels: 128 }))).toBe(false);
    expect(winogradPays(layer({ filterHeight: 3, filterWidth: 3, outHeight: 14, outWidth: 14, inChannels: 16, outChannels: 64 }))).toBe(false);
    expect(winogradPays(layer({ inChannels: 3, outChannels: 64 }))).toBe(false);
    expect(winogradPays(layer({ outHeight: 1, outWidth: 1, inChannels: 256, outChannels: 128 }))).toBe(false);
  });
});
