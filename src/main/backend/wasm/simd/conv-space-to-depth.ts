/**
 * Strided convolutions as ONE stride-1 correlation on the Winograd kernels,
 * by space-to-depth on x's own grid. Write tap k − pad = s·i + a (a < s):
 * x(s·y + k − pad) = x_a(y + i) with x_a(u) = x(s·u + a). So with
 *
 *   X′(n, u, v, (a, b, ci)) = x(n, s_h·u + a, s_w·v + b, ci)                       (u < ⌈H/s_h⌉; zero past x)
 *   W′(i − i₀, j − j₀, (a, b, ci), co) = w(s_h·i + a + padTop, s_w·j + b + padLeft, ci, co)   (zero outside the filter)
 *
 * with i from i₀ = ⌊−padTop/s_h⌋ to ⌊(R − 1 − padTop)/s_h⌋ (j likewise), an
 * R×S stride-s conv on C channels is a stride-1 correlation of X′ with W′
 * at offset (i₀, j₀) on s_h·s_w·C channels. The padding lives in W′ and the
 * offset, never in X′: the correlation reads zeros outside X′'s view, so
 * X′ and dX′ are x's grid divided by s — 16 → 8, 5×5 'same' (padTop 1) is
 * 3×3 taps at offset −1 on an 8×8 X′, whose 8×8 dX′ is 2×2 F(4, 3) tiles.
 * 5×5 stride 2 on 64 channels becomes 3×3 on 256, which Winograd runs with fewer
 * multiply-adds than the direct 5×5, where the phase split's 3×2 and 2×2
 * phases (conv-phases.ts) are too small to pay.
 *
 * - forward: copy x into X′ and w into W′, one `correlate`;
 * - filter gradient: `correlateFilterGradient` of X′ against dy into a
 *   W′-shaped block, then its valid taps copied into dW (the padded taps'
 *   gradients are dropped: they are not parameters);
 * - input gradient: the adjoint — dX′ = dy correlated with W′ flipped
 *   (negative strides, offset −(R′ − 1), channels swapped), then dx gathered
 *   back from dX′ (depth-to-space: each dx element is exactly one dX′ cell).
 *
 * The copies are TypedArray runs of s_w·C floats (one (n, u, v, a) at a time).
 */
import type { WasmBackendLike } from '../kernel-ops';
import type { Correlation } from './correlation';
import type { ConvGeometry } from './conv-ops';
import { convSetting, type ConvPass, type ConvOperands } from './conv-phases';
import { address, scratch, type Scratch } from './gemm-dispatch';
import type { SimdKernels } from './simd-runtime';
import { memoryOf } from './table-cache';
import { correlate, correlateFilterGradient, winogradPays } from './winograd';
import { tilePlan } from './winograd-plan';

/** W′'s taps and the window of X′ (or dX′) a pass keeps on the heap. */
export interface SpaceToDepth {
  /** Taps of W′ per axis. */
  taps: [number, number];
  /** The forward correlation's offset (i₀, j₀): ⌊−padTop/s_h⌋, ⌊−padLeft/s_w⌋. */
  offset: [number, number];
  /** X′'s (and dX′'s) rows and columns: ⌈H/s_h⌉, ⌈W/s_w⌉. */
  height: number;
  width: number;
  /** s_h·s_w·C. */
  channels: number;
}

/** The same for the three passes: dX′ covers exactly x (14 → 7, 5×5: 7×7, two 4-output tiles a side). */
export function spaceToDepth(g: ConvGeometry): SpaceToDepth {
  // 0 − pad, not −pad: no padding is offset 0, not −0.
  const first = (pad: number, s: number): number => Math.floor((0 - pad) / s);
  const last = (pad: number, s: number, k: number): number => Math.floor((k - 1 - pad) / s);
  const offset: [number, number] = [first(g.padTop, g.strideHeight), first(g.padLeft, g.strideWidth)];
  return {
    taps: [last(g.padTop, g.strideHeight, g.filterHeight) - offset[0] + 1, last(g.padLeft, g.strideWidth, g.filterWidth) - offset[1] + 1],
    offset,
    height: Math.ceil(g.inHeight / g.strideHeight),
    width: Math.ceil(g.inWidth / g.strideWidth),
    channels: g.strideHeight * g.strideWidth * g.inChannels,
  };
}

/** Where X′ (or dX′), W′ (or dW′) and y (or dy) lie on the heap. */
interface Blocks {
  xs: number;
  ws: number;
  y: number;
}

/** The forward (and filter-gradient) correlation of X′ with W′ into y. */
function forwardCorrelation(g: ConvGeometry, d: SpaceToDepth, at: Blocks): Correlation {
  const [r, s] = d.taps;
  const C = d.channels;
  const CO = g.outChannels;
  return {
    batch: g.batch,
    outHeight: g.outHeight,
    outWidth: g.outWidth,
    inChannels: C,
    outChannels: CO,
    filterHeight: r,
    filterWidth: s,
    offsetY: d.offset[0],
    offsetX: d.offset[1],
    input: { base: at.xs, strides: [d.height * d.width * C, d.width * C, C, 1], height: d.height, width: d.width },
    filter: { base: at.ws, strides: [s * C * CO, C * CO, CO, 1] },
    output: { base: at.y, strides: [g.outHeight * g.outWidth * CO, g.outWidth * CO, CO, 1] },
    accumulate: false,
  };
}

/**
 * dX′(u, v) = Σ_{i, j} dy(u − i − i₀, v − j − j₀) · W′(i, j)ᵀ: counting i
 * from the last tap makes it dy(u + i − (R′ − 1) − i₀) against W′ flipped,
 * co and c′ swapped.
 */
function inputCorrelation(g: ConvGeometry, d: SpaceToDepth, at: Blocks): Correlation {
  const [r, s] = d.taps;
  const C = d.channels;
  const CO = g.outChannels;
  return {
    batch: g.batch,
    outHeight: d.height,
    outWidth: d.width,
    inChannels: CO,
    outChannels: C,
    filterHeight: r,
    filterWidth: s,
    offsetY: -(r - 1) - d.offset[0],
    offsetX: -(s - 1) - d.offset[1],
    input: { base: at.y, strides: [g.outHeight * g.outWidth * CO, g.outWidth * CO, CO, 1], height: g.outHeight, width: g.outWidth },
    filter: { base: at.ws + 4 * ((r - 1) * s + (s - 1)) * C * CO, strides: [-s * C * CO, -C * CO, 1, CO] },
    output: { base: at.xs, strides: [d.height * d.width * C, d.width * C, C, 1] },
    accumulate: false,
  };
}

const NO_BLOCKS: Blocks = { xs: 0, ws: 0, y: 0 };

/**
 * The direct kernels' multiply-adds per image against Winograd's modelled
 * cost (winograd-plan.ts) must reach this. `winogradPays` alone compares
 * with the direct cost of the X′ ⊛ W′ correlation, whose zero taps and
 * padding cells the direct kernels never do (3×3 on 256 is 1.44× the 5×5 on
 * 64). Measured (npm run bench:space-to-depth, 2 threads, batch 64, a
 * loaded machine): at a modelled 1.74–2.34 the passes ran 1.2–1.8× the direct
 * kernels (the 7×7-output ones 1.2–1.3×, 8×8 1.3–1.8×, seed-model-one's
 * input gradient — 8×8 dX′, 2.34 — included); with the padding in X′ that
 * input gradient was a 9×9 dX′ in F(3, 3) tiles, 1.54, and ran 0.7–1.07×.
 */
const REQUIRED_SAVING = 1.6;

/** The direct kernels' multiply-adds per image: the same for the three passes. */
const directPerImage = (g: ConvGeometry): number => g.outHeight * g.outWidth * g.filterHeight * g.filterWidth * g.inChannels * g.outChannels;

/**
 * The decision rule: true where `pass` should run through space-to-depth —
 * a stride above 1 on an axis, no dilation, and a correlation Winograd pays
 * on by REQUIRED_SAVING against the direct conv (GAN_STUDIO_WASM_CONV unset);
 * wherever it applies with GAN_STUDIO_WASM_CONV=space-to-depth; never with
 * `direct` or `phases`.
 */
export function spaceToDepthPays(pass: ConvPass, g: ConvGeometry): boolean {
  const setting = convSetting();
  if (setting === 'direct' || setting === 'phases') return false;
  if (g.strideHeight === 1 && g.strideWidth === 1) return false;
  if (g.dilationHeight !== 1 || g.dilationWidth !== 1) return false;
  if (setting === 'space-to-depth') return true;
  const d = spaceToDepth(g);
  const c = pass === 'backpropInput' ? inputCorrelation(g, d, NO_BLOCKS) : forwardCorrelation(g, d, NO_BLOCKS);
  return winogradPays(c) && tilePlan(c).costPerImage * REQUIRED_SAVING <= directPerImage(g);
}

const floats = (backend: WasmBackendLike): Float32Array => new Float32Array(memoryOf(backend));

/**
 * Visits X′'s runs: for each (n, u, v, a) the s_w·C floats at float offset
 * `xsAt` and the x row h they map to, columns w0 … w0 + s_w − 1 (rows and
 * columns past x's edge: the caller clips).
 */
function forEachRun(g: ConvGeometry, d: SpaceToDepth, visit: (xsAt: number, n: number, h: number, w0: number) => void): void {
  const { strideHeight: sh, strideWidth: sw } = g;
  const run = sw * g.inChannels;
  for (let n = 0; n < g.batch; n++) {
    for (let u = 0; u < d.height; u++) {
      for (let v = 0; v < d.width; v++) {
        for (let a = 0; a < sh; a++) {
          visit((((n * d.height + u) * d.width + v) * sh + a) * run, n, sh * u + a, sw * v);
        }
      }
    }
  }
}

/** The columns of a run that lie inside x: b < end. */
const insideColumns = (g: ConvGeometry, w0: number): number => Math.min(g.strideWidth, g.inWidth - w0);

/** X′ from x at byte address `x` into the block at `xs` (zeros where it maps outside x). */
function gatherSpaceToDepth(backend: WasmBackendLike, g: ConvGeometry, d: SpaceToDepth, x: number, xs: number): void {
  const heap = floats(backend);
  const C = g.inChannels;
  const from = x / 4;
  const to = xs / 4;
  const run = g.strideWidth * C;
  forEachRun(g, d, (at, n, h, w0) => {
    const dst = to + at;
    if (h >= g.inHeight) {
      heap.fill(0, dst, dst + run);
      return;
    }
    const end = insideColumns(g, w0);
    const src = from + ((n * g.inHeight + h) * g.inWidth + w0) * C;
    heap.copyWithin(dst, src, src + end * C);
    if (end < g.strideWidth) heap.fill(0, dst + end * C, dst + run);
  });
}

/**
 * dx at byte address `x` from dX′ at `xs` (depth-to-space): dX′ holds every
 * dx element once; its cells past x's edge are dropped.
 */
function scatterDepthToSpace(backend: WasmBackendLike, g: ConvGeometry, d: SpaceToDepth, xs: number, x: number): void {
  const heap = floats(backend);
  const C = g.inChannels;
  const from = xs / 4;
  const to = x / 4;
  forEachRun(g, d, (at, n, h, w0) => {
    if (h >= g.inHeight) return;
    const src = from + at;
    heap.copyWithin(to + ((n * g.inHeight + h) * g.inWidth + w0) * C, src, src + insideColumns(g, w0) * C);
  });
}

/**
 * Visits the filter's taps as W′ holds them: tap (i, j) phase (a, b) at W′
 * float offset `wsAt`, and filter tap (kh, kw) — which may lie outside the
 * filter (W′'s zeros: the padding). Each is a run of C·CO floats on both sides.
 */
function forEachTap(g: ConvGeometry, d: SpaceToDepth, visit: (wsAt: number, kh: number, kw: number) => void): void {
  const { strideHeight: sh, strideWidth: sw } = g;
  const block = g.inChannels * g.outChannels;
  for (let i = 0; i < d.taps[0]; i++) {
    for (let j = 0; j < d.taps[1]; j++) {
      for (let a = 0; a < sh; a++) {
        for (let b = 0; b < sw; b++) {
          visit(((((i * d.taps[1] + j) * sh + a) * sw + b) * block), sh * (i + d.offset[0]) + a + g.padTop, sw * (j + d.offset[1]) + b + g.padLeft);
        }
      }
    }
  }
}

const insideFilter = (g: ConvGeometry, kh: number, kw: number): boolean => kh >= 0 && kh < g.filterHeight && kw >= 0 && kw < g.filterWidth;

/** W′ from the HWIO filter at byte address `w` into `ws`. */
function spreadFilter(backend: WasmBackendLike, g: ConvGeometry, d: SpaceToDepth, w: number, ws: number): void {
  const heap = floats(backend);
  const block = g.inChannels * g.outChannels;
  forEachTap(g, d, (at, kh, kw) => {
    const dst = ws / 4 + at;
    if (!insideFilter(g, kh, kw)) heap.fill(0, dst, dst + block);
    else heap.copyWithin(dst, w / 4 + (kh * g.filterWidth + kw) * block, w / 4 + (kh * g.filterWidth + kw + 1) * block);
  });
}

/** dW from dW′ at `ws`: the valid taps only. */
function collectFilter(backend: WasmBackendLike, g: ConvGeometry, d: SpaceToDepth, ws: number, w: number): void {
  const heap = floats(backend);
  const block = g.inChannels * g.outChannels;
  forEachTap(g, d, (at, kh, kw) => {
    if (!insideFilter(g, kh, kw)) return;
    heap.copyWithin(w / 4 + (kh * g.filterWidth + kw) * block, ws / 4 + at, ws / 4 + at + block);
  });
}

/** Allocates a float32 block and returns its byte address. */
const block = (backend: WasmBackendLike, s: Scratch, count: number): number => address(backend, s.alloc([Math.max(count, 1)], 'float32'));

/** X′'s and W′'s float counts. */
const sizes = (g: ConvGeometry, d: SpaceToDepth): [number, number] => [
  g.batch * d.height * d.width * d.channels,
  d.taps[0] * d.taps[1] * d.channels * g.outChannels,
];

/**
 * Runs `pass` through space-to-depth on the operands of conv-phases.ts: the
 * forward writes y from x and filter, the filter gradient writes dW at
 * `filter` from x and dy at `y`, the input gradient writes dx at `x` from
 * dy at `y` and the filter. The forward overwrites y unless `accumulate`
 * (a bias already in place).
 */
export function runSpaceToDepth(backend: WasmBackendLike, kernels: SimdKernels, pass: ConvPass, g: ConvGeometry, operands: ConvOperands, accumulate = false): void {
  const d = spaceToDepth(g);
  const [xsFloats, wsFloats] = sizes(g, d);
  const s = scratch(backend);
  try {
    // Each copy below takes its heap view when it runs (allocations, here and in the kernels, may grow the heap).
    const at: Blocks = { xs: block(backend, s, xsFloats), ws: block(backend, s, wsFloats), y: operands.y };
    if (pass === 'forward') {
      gatherSpaceToDepth(backend, g, d, operands.x, at.xs);
      spreadFilter(backend, g, d, operands.filter, at.ws);
      correlate(backend, kernels, { ...forwardCorrelation(g, d, at), accumulate });
    } else if (pass === 'backpropFilter') {
      gatherSpaceToDepth(backend, g, d, operands.x, at.xs);
      correlateFilterGradient(backend, kernels, forwardCorrelation(g, d, at));
      collectFilter(backend, g, d, at.ws, operands.filter);
    } else {
      spreadFilter(backend, g, d, operands.filter, at.ws);
      correlate(backend, kernels, inputCorrelation(g, d, at));
      scatterDepthToSpace(backend, g, d, at.xs, operands.x);
    }
  } finally {
    s.release();
  }
}
