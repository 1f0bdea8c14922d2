/**
 * How winograd.ts tiles a Correlation: the output tile m per axis (n = m +
 * r − 1 inputs per tile, n ≤ MAX_TILE_INPUTS), chosen by a cost model of
 * multiply-adds, and whether Winograd beats the direct kernel at all
 * (`winogradPays`, which conv-phases.ts asks).
 */
import type { Correlation } from './correlation';

/**
 * The most inputs per tile per axis. F(4, 5) (n = 8, points up to ±2 and
 * ±½) keeps float32's error near 1e-5 of the output's scale on 256-channel
 * sums (winograd.test.ts prints the table); larger tiles are not built.
 */
export const MAX_TILE_INPUTS = 8;

/**
 * What a transform costs per tile per channel, in gemm multiply-adds per
 * multiply-add of its two passes plus per element moved: measured with
 * npm run bench:winograd (the 8 × 8 input transform of F(4, 5)² takes about
 * as long as 1,800 of the products' multiply-adds per tile per channel).
 */
const TRANSFORM_COST = 1.6;

export interface AxisPlan {
  /** Outputs per tile, taps, inputs per tile (m + r − 1), tiles along the axis. */
  m: number;
  r: number;
  n: number;
  tiles: number;
}

export interface TilePlan {
  y: AxisPlan;
  x: AxisPlan;
  /** Multiply-adds per image, transforms included (the filter's transform left out: once per call). */
  costPerImage: number;
}

/**
 * The most outputs per tile per axis. Larger tiles save products on paper
 * but lose in practice (npm run bench:winograd, a 2×2 phase 128→64 on 7×7:
 * F(7, 2)² 0.55× the direct kernel, F(4, 2)² 1.0×; a 3×2 phase: F(4,3)×F(7,2)
 * 0.95×, F(4,3)×F(4,2) 1.1–1.4×).
 */
export const MAX_TILE_OUTPUTS = 4;

function axisPlans(out: number, r: number): AxisPlan[] {
  const plans: AxisPlan[] = [];
  for (let m = 1; m <= MAX_TILE_OUTPUTS && m + r - 1 <= MAX_TILE_INPUTS; m++) {
    const n = m + r - 1;
    if (n < 2) continue;
    plans.push({ m, r, n, tiles: Math.ceil(out / m) });
    if (m >= out) break;
  }
  return plans;
}

/** Transform work per tile per channel: two passes (L then R) and the patches gathered and scattered. */
const transformCost = (pIn: number, qIn: number, pOut: number, qOut: number): number =>
  TRANSFORM_COST * (pOut * pIn * qIn + pOut * qOut * qIn + pIn * qIn + pOut * qOut);

function costPerImage(y: AxisPlan, x: AxisPlan, cin: number, cout: number): number {
  const products = y.n * x.n * cin * cout;
  const transforms = cin * transformCost(y.n, x.n, y.n, x.n) + cout * transformCost(y.n, x.n, y.m, x.m);
  return y.tiles * x.tiles * (products + transforms);
}

/** The cheapest tiling of `c` (the forward's; the filter gradient's transforms cost the same). */
export function tilePlan(c: Correlation): TilePlan {
  let best: TilePlan | undefined;
  for (const y of axisPlans(c.outHeight, c.filterHeight)) {
    for (const x of axisPlans(c.outWidth, c.filterWidth)) {
      const cost = costPerImage(y, x, c.inChannels, c.outChannels);
      if (best === undefined || cost < best.costPerImage) best = { y, x, costPerImage: cost };
    }
  }
  if (best === undefined) {
    throw new Error(`Winograd needs taps of at most ${MAX_TILE_INPUTS - 1} per axis, got ${c.filterHeight}×${c.filterWidth}`);
  }
  return best;
}

/**
 * Measured (npm run bench:winograd, one thread; docs/backends.md): Winograd
 * wins on 5×5 (2.8–4×) and 3×3 (1.2–1.5×) with 64 or more channels on both
 * sides, and loses on 3×2, 2×2 (its tiles save too little against the
 * transforms) and on narrow layers (16 → 64 channels: 0.7×).
 */
const MIN_TAPS = 3;
const MIN_CHANNELS = 64;
/** The model's multiply-adds, transforms included, must be at most the direct ones over this. */
const REQUIRED_SAVING = 1.5;

/** True where Winograd beats the direct kernel for `c`'s shape (channels, taps, grid). */
export function winogradPays(c: Correlation): boolean {
  const taps = [c.filterHeight, c.filterWidth];
  if (taps.some((r) => r < MIN_TAPS || r >= MAX_TILE_INPUTS)) return false;
  if (Math.min(c.inChannels, c.outChannels) < MIN_CHANNELS) return false;
  const direct = c.outHeight * c.outWidth * c.filterHeight * c.filterWidth * c.inChannels * c.outChannels;
  return tilePlan(c).costPerImage * REQUIRED_SAVING <= direct;
}
