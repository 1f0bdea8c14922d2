/**
 * Sliced Wasserstein distance on Laplacian-pyramid patches (Karras et al.
 * 2018, ProGAN's metrics/sliced_wasserstein.py), needing no network:
 * 1. Each image becomes a Laplacian pyramid (5×5 binomial filter, mirror
 *    edges), from full size down to the last level of at least 8 pixels
 *    (ProGAN stops at 16; our images are 16–64 px).
 * 2. From every level, 7×7 neighbourhoods at random places become
 *    descriptors, normalised per level and channel by their own set's mean
 *    and std (as ProGAN does).
 * 3. Per level, both descriptor sets are projected onto random unit
 *    directions; each projection's sorted values are compared (the 1-D
 *    Wasserstein-1 distance) and averaged.
 * Reported: the mean over levels ×10³ (ProGAN's "avg" column); std over the
 * SWD_REPEATS independent sets of directions.
 */
import { meanStd, scoreRng } from './features';
import type { ImageSet } from './images';
import { imageAt } from './images';

export const PATCH = 7;
export const PATCHES_PER_IMAGE = 8;
export const SWD_REPEATS = 4;
export const DIRECTIONS_PER_REPEAT = 64;
/** The coarsest pyramid level kept (ProGAN: 16). */
export const MIN_LEVEL_SIDE = 8;

/** One plane (h × w) of one channel. */
interface Plane {
  data: Float64Array;
  height: number;
  width: number;
}

const BINOMIAL = [1, 4, 6, 4, 1].map((w) => w / 16);

/** Mirror an index into [0, n) the way scipy.ndimage's 'mirror' mode does (edge not repeated). */
function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
}

/** Separable 5×5 binomial blur with gain `gain`. */
function blur(plane: Plane, gain = 1): Plane {
  const { height, width } = plane;
  const tmp = new Float64Array(height * width);
  const out = new Float64Array(height * width);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      let sum = 0;
      for (let k = -2; k <= 2; k += 1) sum += BINOMIAL[k + 2]! * plane.data[y * width + mirror(x + k, width)]!;
      tmp[y * width + x] = sum;
    }
  }
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      let sum = 0;
      for (let k = -2; k <= 2; k += 1) sum += BINOMIAL[k + 2]! * tmp[mirror(y + k, height) * width + x]!;
      out[y * width + x] = sum * gain;
    }
  }
  return { data: out, height, width };
}

/** Blur, then keep every other pixel. */
function pyramidDown(plane: Plane): Plane {
  const blurred = blur(plane);
  const height = Math.ceil(plane.height / 2);
  const width = Math.ceil(plane.width / 2);
  const data = new Float64Array(height * width);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) data[y * width + x] = blurred.data[2 * y * plane.width + 2 * x]!;
  return { data, height, width };
}

/** Zero-insert to height × width, then blur with gain 4 (to keep brightness). */
function pyramidUp(plane: Plane, height: number, width: number): Plane {
  const data = new Float64Array(height * width);
  for (let y = 0; y < plane.height; y += 1) for (let x = 0; x < plane.width; x += 1) data[2 * y * width + 2 * x] = plane.data[y * plane.width + x]!;
  return blur({ data, height, width }, 4);
}

/** Side lengths of the pyramid levels for an image side (e.g. 28 → [28, 14], 32 → [32, 16, 8]). */
export function pyramidSides(side: number): number[] {
  const sides = [side];
  while (Math.ceil(sides.at(-1)! / 2) >= MIN_LEVEL_SIDE) sides.push(Math.ceil(sides.at(-1)! / 2));
  return sides;
}

/** The Laplacian pyramid of one plane: band-pass levels, then the low-pass residue. */
export function laplacianPyramid(plane: Plane, levels: number): Plane[] {
  const pyramid: Plane[] = [plane];
  for (let i = 1; i < levels; i += 1) {
    const current = pyramid.at(-1)!;
    const low = pyramidDown(current);
    const up = pyramidUp(low, current.height, current.width);
    pyramid[pyramid.length - 1] = { ...current, data: current.data.map((v, k) => v - up.data[k]!) };
    pyramid.push(low);
  }
  return pyramid;
}

/** Descriptors of one pyramid level: count × (PATCH·PATCH·channels), channel-major within a descriptor. */
export interface LevelDescriptors {
  data: Float64Array;
  count: number;
  dim: number;
}

/**
 * Normalised 7×7 patch descriptors per pyramid level for a set of images
 * (ProGAN's get_descriptors_for_minibatch + finalize_descriptors).
 */
export function swdDescriptors(images: ImageSet, seed: number): LevelDescriptors[] {
  if (images.height !== images.width) throw new Error(`SWD: expected square images, got ${images.height}×${images.width}.`);
  const sides = pyramidSides(images.height);
  const { channels } = images;
  const dim = PATCH * PATCH * channels;
  const levels = sides.map(() => ({ data: new Float64Array(images.n * PATCHES_PER_IMAGE * dim), count: images.n * PATCHES_PER_IMAGE, dim }));
  const rng = scoreRng(seed, 'swd-patches');
  for (let i = 0; i < images.n; i += 1) {
    const image = imageAt(images, i);
    const pyramids = Array.from({ length: channels }, (_, c) => {
      const data = new Float64Array(images.height * images.width);
      for (let p = 0; p < data.length; p += 1) data[p] = image[p * channels + c]!;
      return laplacianPyramid({ data, height: images.height, width: images.width }, sides.length);
    });
    sides.forEach((_, level) => {
      const { height, width } = pyramids[0]![level]!;
      for (let patch = 0; patch < PATCHES_PER_IMAGE; patch += 1) {
        const top = Math.floor(rng.next() * (height - PATCH + 1));
        const left = Math.floor(rng.next() * (width - PATCH + 1));
        const out = (i * PATCHES_PER_IMAGE + patch) * dim;
        for (let c = 0; c < channels; c += 1) {
          const plane = pyramids[c]![level]!;
          for (let y = 0; y < PATCH; y += 1) {
            for (let x = 0; x < PATCH; x += 1) levels[level]!.data[out + c * PATCH * PATCH + y * PATCH + x] = plane.data[(top + y) * width + left + x]!;
          }
        }
      }
    });
  }
  for (const level of levels) normaliseDescriptors(level, channels);
  return levels;
}

/** Subtract each channel's mean and divide by its std, over all descriptors and positions. */
function normaliseDescriptors(level: LevelDescriptors, channels: number): void {
  const block = PATCH * PATCH;
  for (let c = 0; c < channels; c += 1) {
    let sum = 0;
    let squares = 0;
    for (let d = 0; d < level.count; d += 1) {
      for (let k = 0; k < block; k += 1) {
        const v = level.data[d * level.dim + c * block + k]!;
        sum += v;
        squares += v * v;
      }
    }
    const total = level.count * block;
    const mean = sum / total;
    // A constant channel (a blank set) has std 0: leave it centred rather than divide by zero.
    const std = Math.sqrt(Math.max(squares / total - mean * mean, 0)) || 1;
    for (let d = 0; d < level.count; d += 1) {
      for (let k = 0; k < block; k += 1) {
        const at = d * level.dim + c * block + k;
        level.data[at] = (level.data[at]! - mean) / std;
      }
    }
  }
}

/** Random unit directions, count × dim. */
function randomDirections(count: number, dim: number, seed: number, repeat: number): Float64Array {
  const normals = scoreRng(seed, 'swd-directions', repeat).normals(count * dim);
  const out = Float64Array.from(normals);
  for (let d = 0; d < count; d += 1) {
    let norm = 0;
    for (let k = 0; k < dim; k += 1) norm += out[d * dim + k]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < dim; k += 1) out[d * dim + k]! /= norm;
  }
  return out;
}

/** Projection of every descriptor onto one direction, sorted. */
function sortedProjection(level: LevelDescriptors, directions: Float64Array, d: number, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 1) {
    let dot = 0;
    for (let k = 0; k < level.dim; k += 1) dot += level.data[i * level.dim + k]! * directions[d * level.dim + k]!;
    out[i] = dot;
  }
  return out.sort();
}

/** SWD of one level for one set of directions: mean |sorted a − sorted b| over directions and quantiles. */
export function slicedWassersteinLevel(a: LevelDescriptors, b: LevelDescriptors, directions: Float64Array, directionCount: number): number {
  if (a.dim !== b.dim) throw new Error(`SWD: descriptor sizes differ, ${a.dim} vs ${b.dim}.`);
  // Equal counts make the sorted projections comparable quantile by quantile.
  const count = Math.min(a.count, b.count);
  let total = 0;
  for (let d = 0; d < directionCount; d += 1) {
    const pa = sortedProjection(a, directions, d, count);
    const pb = sortedProjection(b, directions, d, count);
    for (let i = 0; i < count; i += 1) total += Math.abs(pa[i]! - pb[i]!);
  }
  return total / (directionCount * count);
}

/** SWD ×10³ between two descriptor pyramids: mean over levels; std over direction repeats. */
export function slicedWasserstein(real: LevelDescriptors[], generated: LevelDescriptors[], seed: number): { value: number; std: number; perLevel: number[] } {
  if (real.length !== generated.length) throw new Error(`SWD: pyramids differ in levels, ${real.length} vs ${generated.length}.`);
  const perRepeat: number[] = [];
  const perLevel = real.map(() => 0);
  for (let repeat = 0; repeat < SWD_REPEATS; repeat += 1) {
    let levelSum = 0;
    real.forEach((level, index) => {
      const directions = randomDirections(DIRECTIONS_PER_REPEAT, level.dim, seed, repeat * 16 + index);
      const value = 1e3 * slicedWassersteinLevel(level, generated[index]!, directions, DIRECTIONS_PER_REPEAT);
      perLevel[index]! += value / SWD_REPEATS;
      levelSum += value;
    });
    perRepeat.push(levelSum / real.length);
  }
  const { mean, std } = meanStd(perRepeat);
  return { value: mean, std, perLevel };
}
