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
 * What one multiply-add of a transform costs against one of the GEMM: the
 * transforms' generic loops load the coefficient and the operand for each
 * (measured on the bench shapes: about 3×).
 */
const TRANSFORM_COST = 3;

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

function axisPlans(out: number, r: number): AxisPlan[] {
  const plans: AxisPlan[] = [];
  for (let m = 1; m + r - 1 <= MAX_TILE_INPUTS; m++) {
    const n = m + r - 1;
    if (n < 2) continue;
    plans.push({ m, r, n, tiles: Math.ceil(out / m) });
    if (m >= out) break;
  }
  return plans;
}

function costPerImage(y: AxisPlan, x: AxisPlan, cin: number, cout: number): number {
  const tiles = y.tiles * x.tiles;
  const products = y.n * x.n * cin * cout;
  const inputTransform = cin * (y.n * y.n * x.n + y.n * x.n * x.n);
  const outputTransform = cout * (y.m * y.n * x.n + y.m * x.n * x.m);
  return tiles * (products + TRANSFORM_COST * (inputTransform + outputTransform));
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
 * The direct kernel's gemm runs near the FMA peak; Winograd's per-position
 * products are as fast but its transforms and their memory traffic are
 * not, so it must save at least this factor of multiply-adds to win
 * (measured: scripts/bench-winograd.ts).
 */
const REQUIRED_SAVING = 1.5;
/** Below this many channels on either side the products are too narrow for the gemm's register tile. */
const MIN_CHANNELS = 16;

/** True where Winograd beats the direct kernel for `c`'s shape (channels, taps, grid). */
export function winogradPays(c: Correlation): boolean {
  if (c.filterHeight >= MAX_TILE_INPUTS || c.filterWidth >= MAX_TILE_INPUTS) return false;
  if (c.filterHeight * c.filterWidth < 4) return false;
  if (c.inChannels < MIN_CHANNELS || c.outChannels < MIN_CHANNELS) return false;
  const direct = c.outHeight * c.outWidth * c.filterHeight * c.filterWidth * c.inChannels * c.outChannels;
  return tilePlan(c).costPerImage * REQUIRED_SAVING <= direct;
}
