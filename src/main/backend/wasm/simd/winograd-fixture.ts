/**
 * Test and bench support: a Correlation laid out on a real wasm heap from
 * seeded values — plain or phase-strided views (row/column strides ×2, as
 * conv-phases.ts makes them), a plain, flipped or transposed-and-flipped
 * filter — and the buffers' footprints, so a test can check both the values
 * written and that nothing else moved.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-ops';
import { seededValues } from '../test-support';
import type { Correlation, HeapView } from './correlation';
import { memoryOf } from './table-cache';

export type FilterLayout = 'plain' | 'flipped' | 'transposed-flipped';

/** A Correlation's sizes and offsets, plus how its buffers are laid out (the views are made from these). */
export interface CorrelationCase
  extends Pick<Correlation, 'batch' | 'outHeight' | 'outWidth' | 'inChannels' | 'outChannels' | 'filterHeight' | 'filterWidth' | 'offsetY' | 'offsetX' | 'accumulate'> {
  inputHeight: number;
  inputWidth: number;
  /** Input and output are one phase of a grid twice the size (strides ×2). */
  phase: boolean;
  filter: FilterLayout;
}

/** One heap buffer: its tensor, float index and length. */
export interface Buffer {
  info: tf.TensorInfo;
  start: number;
  length: number;
}

export interface PlacedCorrelation {
  c: Correlation;
  input: Buffer;
  filter: Buffer;
  output: Buffer;
  dispose(): void;
}

function buffer(backend: WasmBackendLike, length: number, seed: number): Buffer {
  const info = backend.makeOutput([length], 'float32');
  const start = backend.getMemoryOffset(info.dataId) / 4;
  new Float32Array(memoryOf(backend), start * 4, length).set(seededValues(length, seed));
  return { info, start, length };
}

const view = (b: Buffer, offset: number, strides: HeapView['strides']): HeapView => ({ base: (b.start + offset) * 4, strides });

/** Lays `k` out on `backend`'s heap with values from `seed`. */
export function placeCorrelation(backend: WasmBackendLike, k: CorrelationCase, seed: number): PlacedCorrelation {
  const stride = k.phase ? 2 : 1;
  const [R, S, cin, cout] = [k.filterHeight, k.filterWidth, k.inChannels, k.outChannels];
  const inH = k.inputHeight * stride;
  const inW = k.inputWidth * stride;
  const input = buffer(backend, k.batch * inH * inW * cin, seed);
  const outH = k.outHeight * stride;
  const outW = k.outWidth * stride;
  const output = buffer(backend, k.batch * outH * outW * cout, seed + 1);
  const filter = buffer(backend, R * S * cin * cout, seed + 2);
  // A phase view starts at row 1 of the input and column 1 of the output (another phase's origin).
  const inputView = view(input, k.phase ? inW * cin : 0, [inH * inW * cin, stride * inW * cin, stride * cin, 1]);
  const outputView = view(output, k.phase ? cout : 0, [outH * outW * cout, stride * outW * cout, stride * cout, 1]);
  const last = (R - 1) * S * cin * cout + (S - 1) * cin * cout;
  const filterView =
    k.filter === 'plain'
      ? view(filter, 0, [S * cin * cout, cin * cout, cout, 1])
      : k.filter === 'flipped'
        ? view(filter, last, [-S * cin * cout, -cin * cout, cout, 1])
        : view(filter, last, [-S * cin * cout, -cin * cout, 1, cin]);
  const c: Correlation = {
    batch: k.batch,
    outHeight: k.outHeight,
    outWidth: k.outWidth,
    inChannels: cin,
    outChannels: cout,
    filterHeight: R,
    filterWidth: S,
    offsetY: k.offsetY,
    offsetX: k.offsetX,
    input: { ...inputView, height: k.inputHeight, width: k.inputWidth },
    filter: filterView,
    output: outputView,
    accumulate: k.accumulate,
  };
  return {
    c,
    input,
    filter,
    output,
    dispose: () => [input, output, filter].forEach((b) => backend.disposeData(b.info.dataId)),
  };
}

/** A copy of a buffer's current values. */
export const read = (backend: WasmBackendLike, b: Buffer): Float32Array => new Float32Array(memoryOf(backend), b.start * 4, b.length).slice();

/** Puts `values` back into a buffer. */
export const write = (backend: WasmBackendLike, b: Buffer, values: Float32Array): void => new Float32Array(memoryOf(backend), b.start * 4, b.length).set(values);
