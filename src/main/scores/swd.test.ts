import { describe, expect, it } from 'vitest';
import { Rng } from '../common/rng';
import type { ImageSet } from './images';
import { laplacianPyramid, pyramidSides, slicedWasserstein, slicedWassersteinLevel, swdDescriptors } from './swd';

function noiseImages(n: number, side: number, seed: number, scale = 1): ImageSet {
  const rng = new Rng(seed);
  return { data: Float32Array.from({ length: n * side * side }, () => rng.next() * scale), n, height: side, width: side, channels: 1 };
}

/** Smooth images: a bright disc at a random place. */
function discImages(n: number, side: number, seed: number): ImageSet {
  const rng = new Rng(seed);
  const data = new Float32Array(n * side * side);
  for (let i = 0; i < n; i += 1) {
    const cx = 6 + rng.next() * (side - 12);
    const cy = 6 + rng.next() * (side - 12);
    for (let y = 0; y < side; y += 1) for (let x = 0; x < side; x += 1) data[i * side * side + y * side + x] = Math.hypot(x - cx, y - cy) < 5 ? 1 : 0;
  }
  return { data, n, height: side, width: side, channels: 1 };
}

describe('SWD on Laplacian-pyramid patches', () => {
  it('builds levels down to 8 px, and the pyramid sums back to the image', () => {
    expect(pyramidSides(28)).toEqual([28, 14]);
    expect(pyramidSides(32)).toEqual([32, 16, 8]);
    expect(pyramidSides(16)).toEqual([16, 8]);
    // A constant image has no band-pass energy: level 0 is all 0, the residue keeps the value.
    const flat = laplacianPyramid({ data: new Float64Array(16 * 16).fill(0.5), height: 16, width: 16 }, 2);
    expect(Math.max(...flat[0]!.data.map(Math.abs))).toBeLessThan(1e-12);
    expect(flat[1]!.data.every((v) => Math.abs(v - 0.5) < 1e-12)).toBe(true);
  });

  it('1-D Wasserstein on one direction: {0,1} vs {2,3} is 2', () => {
    const a = { data: Float64Array.from([1, 0]), count: 2, dim: 1 };
    const b = { data: Float64Array.from([3, 2]), count: 2, dim: 1 };
    expect(slicedWassersteinLevel(a, b, Float64Array.from([1]), 1)).toBe(2);
    expect(slicedWassersteinLevel(a, a, Float64Array.from([1]), 1)).toBe(0);
  });

  it('is 0 for identical sets and larger for more different ones', () => {
    const discs = discImages(60, 16, 1);
    const same = slicedWasserstein(swdDescriptors(discs, 5), swdDescriptors(discs, 5), 3);
    expect(same.value).toBe(0);
    expect(same.std).toBe(0);
    const otherDiscs = slicedWasserstein(swdDescriptors(discs, 5), swdDescriptors(discImages(60, 16, 2), 6), 3);
    const noise = slicedWasserstein(swdDescriptors(discs, 5), swdDescriptors(noiseImages(60, 16, 3), 6), 3);
    expect(otherDiscs.value).toBeGreaterThan(0);
    expect(noise.value).toBeGreaterThan(2 * otherDiscs.value);
    expect(noise.perLevel).toHaveLength(2);
  });
});
