/**
 * Every NHWC convolution pass as stride-1 correlations (correlation.ts), so
 * the Winograd kernels, which only know stride 1, can run all of them.
 *
 * A stride s only lets filter tap k meet input rows ≡ k − pad (mod s). So
 * grouping taps by k mod s gives s independent stride-1 correlations per
 * axis, each between a strided view of the input (its rows of one residue)
 * and a strided view of the filter (its taps of one residue) — no copies:
 *
 * - forward: out = Σ over the s_h·s_w filter phases of correlate(x phase, sub-filter);
 * - filter gradient: each filter phase is the filter gradient of the same x
 *   phase against dy, written through the strided view of dW;
 * - input gradient: each dx phase (rows ≡ a mod s) meets every s-th tap only:
 *   a stride-1 correlation of dy with those taps flipped (negative strides)
 *   and ci/co swapped, written through a strided view of dx.
 *
 * With stride 1 each pass is one correlation: the convolution itself.
 */
import type { WasmBackendLike } from '../kernel-ops';
import type { Correlation } from './correlation';
import { correlate, correlateFilterGradient, winogradPays } from './winograd';
import type { ConvGeometry } from './conv-ops';
import type { SimdKernels } from './simd-runtime';

export type ConvPass = 'forward' | 'backpropInput' | 'backpropFilter';

/**
 * Byte addresses of the three tensors every pass involves, named as in the
 * forward conv y = x ⊛ filter: the input gradient writes dx at `x` and reads
 * dy at `y`; the filter gradient writes dW at `filter` and reads dy at `y`.
 */
export interface ConvOperands {
  x: number;
  filter: number;
  y: number;
}

/** One phase along one spatial axis of the forward conv: taps k ≡ firstTap (mod stride). */
interface ForwardAxis {
  firstTap: number;
  taps: number;
  /** The first input position the taps read (then every s-th: firstInput, firstInput + s, …) and how many there are. */
  firstInput: number;
  inputs: number;
  /** Output 0's tap 0 reads phase row `offset`. */
  offset: number;
}

/** Filter phases along an axis: tap k = a + i·s reads x row (o + i)·s + a − pad = (o + i + q)·s + r. */
function forwardAxis(stride: number, pad: number, kernel: number, inSize: number): ForwardAxis[] {
  const phases: ForwardAxis[] = [];
  for (let a = 0; a < Math.min(stride, kernel); a++) {
    const r = mod(a - pad, stride);
    phases.push({
      firstTap: a,
      taps: Math.ceil((kernel - a) / stride),
      firstInput: r,
      inputs: r < inSize ? Math.ceil((inSize - r) / stride) : 0,
      offset: Math.floor((a - pad) / stride),
    });
  }
  return phases;
}

/** One dx phase along one axis: dx rows first, first + s, … meet taps lastTap, lastTap − s, … of dy. */
interface InputAxis {
  first: number;
  count: number;
  lastTap: number;
  taps: number;
  offset: number;
}

/**
 * dx row h = a + u·s with h + pad = q·s + r meets taps k = r + j·s at dy row
 * u + q − j; counting i = taps − 1 − j makes that u + i + (q − taps + 1), a
 * stride-1 correlation with the taps in reverse.
 */
function inputAxis(stride: number, pad: number, kernel: number, inSize: number): InputAxis[] {
  const phases: InputAxis[] = [];
  for (let a = 0; a < Math.min(stride, inSize); a++) {
    const r = mod(a + pad, stride);
    const taps = r < kernel ? Math.ceil((kernel - r) / stride) : 0;
    phases.push({
      first: a,
      count: Math.ceil((inSize - a) / stride),
      lastTap: r + (taps - 1) * stride,
      taps,
      offset: Math.floor((a + pad) / stride) - taps + 1,
    });
  }
  return phases;
}

const mod = (a: number, m: number): number => ((a % m) + m) % m;

/** The forward conv's (and its filter gradient's) correlations, undefined where a phase of x is empty. */
function forwardCorrelations(g: ConvGeometry, at: ConvOperands, accumulateAfterFirst: boolean): Correlation[] | undefined {
  const { inHeight: H, inWidth: W, inChannels: C, outChannels: CO, filterWidth: KW } = g;
  const rows = forwardAxis(g.strideHeight, g.padTop, g.filterHeight, H);
  const cols = forwardAxis(g.strideWidth, g.padLeft, KW, W);
  if ([...rows, ...cols].some((p) => p.inputs === 0)) return undefined;
  const correlations: Correlation[] = [];
  for (const row of rows) {
    for (const col of cols) {
      correlations.push({
        batch: g.batch,
        outHeight: g.outHeight,
        outWidth: g.outWidth,
        inChannels: C,
        outChannels: CO,
        filterHeight: row.taps,
        filterWidth: col.taps,
        offsetY: row.offset,
        offsetX: col.offset,
        input: {
          base: at.x + 4 * (row.firstInput * W + col.firstInput) * C,
          strides: [H * W * C, g.strideHeight * W * C, g.strideWidth * C, 1],
          height: row.inputs,
          width: col.inputs,
        },
        filter: { base: at.filter + 4 * (row.firstTap * KW + col.firstTap) * C * CO, strides: [g.strideHeight * KW * C * CO, g.strideWidth * C * CO, CO, 1] },
        output: { base: at.y, strides: [g.outHeight * g.outWidth * CO, g.outWidth * CO, CO, 1] },
        accumulate: accumulateAfterFirst && correlations.length > 0,
      });
    }
  }
  return correlations;
}

/** The input gradient's correlations, undefined where a dx phase meets no tap (it would need zeroing). */
function inputCorrelations(g: ConvGeometry, at: ConvOperands): Correlation[] | undefined {
  const { inHeight: H, inWidth: W, inChannels: C, outChannels: CO, filterWidth: KW } = g;
  const rows = inputAxis(g.strideHeight, g.padTop, g.filterHeight, H);
  const cols = inputAxis(g.strideWidth, g.padLeft, KW, W);
  if ([...rows, ...cols].some((p) => p.taps === 0)) return undefined;
  const correlations: Correlation[] = [];
  for (const row of rows) {
    for (const col of cols) {
      correlations.push({
        batch: g.batch,
        outHeight: row.count,
        outWidth: col.count,
        inChannels: CO,
        outChannels: C,
        filterHeight: row.taps,
        filterWidth: col.taps,
        offsetY: row.offset,
        offsetX: col.offset,
        input: { base: at.y, strides: [g.outHeight * g.outWidth * CO, g.outWidth * CO, CO, 1], height: g.outHeight, width: g.outWidth },
        // (i, j, co, ci) = filter(lastTap − i·s, lastTap − j·s, ci, co): flipped, channels swapped.
        filter: { base: at.filter + 4 * (row.lastTap * KW + col.lastTap) * C * CO, strides: [-g.strideHeight * KW * C * CO, -g.strideWidth * C * CO, 1, CO] },
        output: { base: at.x + 4 * (row.first * W + col.first) * C, strides: [H * W * C, g.strideHeight * W * C, g.strideWidth * C, 1] },
        accumulate: false,
      });
    }
  }
  return correlations;
}

/**
 * `pass` as stride-1 correlations that together write its whole output
 * (the forward ones after the first accumulate), or undefined when the split
 * does not apply: dilation, an empty phase of x, a dx phase without taps.
 */
export function phaseCorrelations(pass: ConvPass, g: ConvGeometry, at: ConvOperands): Correlation[] | undefined {
  if (g.dilationHeight !== 1 || g.dilationWidth !== 1) return undefined;
  if (pass === 'backpropInput') return inputCorrelations(g, at);
  return forwardCorrelations(g, at, pass === 'forward');
}

/**
 * GAN_STUDIO_WASM_CONV: unset (Winograd where it pays: space-to-depth for
 * strided convs, else the phase split), `direct`, `phases` (the phase split
 * whatever splits, no space-to-depth) or `space-to-depth` (every strided
 * undilated conv through conv-space-to-depth.ts; the rest as unset).
 */
export type ConvSetting = 'auto' | 'direct' | 'phases' | 'space-to-depth';

export function convSetting(env: NodeJS.ProcessEnv = process.env): ConvSetting {
  const value = env['GAN_STUDIO_WASM_CONV']?.trim() ?? '';
  if (value === '') return 'auto';
  if (value === 'direct' || value === 'phases' || value === 'space-to-depth') return value;
  throw new Error(`GAN_STUDIO_WASM_CONV must be "direct", "phases" or "space-to-depth" (or unset), got "${value}"`);
}

/**
 * The decision rule: the correlations to run for `pass`, or undefined for
 * the direct kernels. Split when every phase is one Winograd pays on (one
 * slow phase would cost more than the others save), or when
 * GAN_STUDIO_WASM_CONV=phases; never with GAN_STUDIO_WASM_CONV=direct.
 */
export function phasePlan(pass: ConvPass, g: ConvGeometry, at: ConvOperands): Correlation[] | undefined {
  const setting = convSetting();
  if (setting === 'direct') return undefined;
  const correlations = phaseCorrelations(pass, g, at);
  if (correlations === undefined || setting === 'phases') return correlations;
  return correlations.every(winogradPays) ? correlations : undefined;
}

/** Runs a plan's correlations in order (the forward ones accumulate into the first's output). */
export function runPhases(backend: WasmBackendLike, kernels: SimdKernels, pass: ConvPass, correlations: readonly Correlation[]): void {
  for (const c of correlations) {
    if (pass === 'backpropFilter') correlateFilterGradient(backend, kernels, c);
    else correlate(backend, kernels, c);
  }
}
