/**
 * A stride-1 correlation over strided views of the wasm heap: the one shape
 * every convolution kernel reduces to once its stride is split into phases
 * (conv-phases.ts), and the contract the Winograd kernels (winograd.ts) and
 * the direct reference below both implement.
 *
 *   out(n, y, x, co) (+)= Σ_{i<R, j<S, ci} in(n, y + i + offsetY, x + j + offsetX, ci) · filter(i, j, ci, co)
 *
 * for 0 ≤ y < outHeight, 0 ≤ x < outWidth; `in` reads zero outside
 * [0, input.height) × [0, input.width) (the padding, and the other phases'
 * rows). The filter gradient is the same sum taken the other way:
 *
 *   filter(i, j, ci, co) (+)= Σ_{n, y, x} in(n, y + i + offsetY, x + j + offsetX, ci) · dy(n, y, x, co)
 *
 * with dy read through the `output` view.
 */

/**
 * A strided 4-D view of float32 values on the heap: element (a, b, c, d) is
 * at byte `base + 4·(a·strides[0] + b·strides[1] + c·strides[2] + d·strides[3])`.
 * Strides are in floats and may be negative (a flipped filter).
 */
export interface HeapView {
  base: number;
  strides: [number, number, number, number];
}

/** An activation view (n, h, w, c): rows and columns outside [0, height) × [0, width) read as zero. */
export interface ImageView extends HeapView {
  height: number;
  width: number;
}

export interface Correlation {
  batch: number;
  outHeight: number;
  outWidth: number;
  inChannels: number;
  outChannels: number;
  /** R and S: the filter's taps along y and x. */
  filterHeight: number;
  filterWidth: number;
  /** Where tap (0, 0) of output (0, 0) reads the input (negative: padding). */
  offsetY: number;
  offsetX: number;
  /** (n, h, w, ci). */
  input: ImageView;
  /** (i, j, ci, co). */
  filter: HeapView;
  /** (n, y, x, co), outHeight × outWidth of it: written by correlate, read as dy by the filter gradient. */
  output: HeapView;
  /** Add into the destination (output, or the filter for the gradient) instead of overwriting it. */
  accumulate: boolean;
}

const at = (view: HeapView, a: number, b: number, c: number, d: number): number =>
  view.base / 4 + a * view.strides[0] + b * view.strides[1] + c * view.strides[2] + d * view.strides[3];

function inputAt(heap: Float32Array, c: Correlation, n: number, h: number, w: number, ci: number): number {
  if (h < 0 || h >= c.input.height || w < 0 || w >= c.input.width) return 0;
  return heap[at(c.input, n, h, w, ci)]!;
}

/** The direct sum, in float64 then rounded once: the reference the fast kernels are tested against. */
export function correlateReference(heap: Float32Array, c: Correlation): void {
  for (let n = 0; n < c.batch; n++) {
    for (let y = 0; y < c.outHeight; y++) {
      for (let x = 0; x < c.outWidth; x++) {
        for (let co = 0; co < c.outChannels; co++) {
          let sum = 0;
          for (let i = 0; i < c.filterHeight; i++) {
            for (let j = 0; j < c.filterWidth; j++) {
              for (let ci = 0; ci < c.inChannels; ci++) {
                sum += inputAt(heap, c, n, y + i + c.offsetY, x + j + c.offsetX, ci) * heap[at(c.filter, i, j, ci, co)]!;
              }
            }
          }
          const o = at(c.output, n, y, x, co);
          heap[o] = c.accumulate ? heap[o]! + sum : sum;
        }
      }
    }
  }
}

/** The filter gradient's direct sum (dy read through c.output), float64 then rounded once. */
export function correlateFilterGradientReference(heap: Float32Array, c: Correlation): void {
  for (let i = 0; i < c.filterHeight; i++) {
    for (let j = 0; j < c.filterWidth; j++) {
      for (let ci = 0; ci < c.inChannels; ci++) {
        for (let co = 0; co < c.outChannels; co++) {
          let sum = 0;
          for (let n = 0; n < c.batch; n++) {
            for (let y = 0; y < c.outHeight; y++) {
              for (let x = 0; x < c.outWidth; x++) {
                sum += inputAt(heap, c, n, y + i + c.offsetY, x + j + c.offsetX, ci) * heap[at(c.output, n, y, x, co)]!;
              }
            }
          }
          const f = at(c.filter, i, j, ci, co);
          heap[f] = c.accumulate ? heap[f]! + sum : sum;
        }
      }
    }
  }
}
