import { describe, expect, it } from 'vitest';
import { epochOrder, noiseBatch, realBatch, stepsPerEpoch } from './batches';
import { Rng, withMathRandom } from '../common/rng';

describe('Rng', () => {
  it('is deterministic per (seed, purpose, counter) and differs across them', () => {
    const draw = (rng: Rng) => [rng.next(), rng.next(), rng.next()];
    expect(draw(Rng.stream(5, 'noise', 3))).toEqual(draw(Rng.stream(5, 'noise', 3)));
    expect(draw(Rng.stream(5, 'noise', 3))).not.toEqual(draw(Rng.stream(5, 'noise', 4)));
    expect(draw(Rng.stream(5, 'noise', 3))).not.toEqual(draw(Rng.stream(5, 'shuffle', 3)));
    expect(draw(Rng.stream(5, 'noise', 3))).not.toEqual(draw(Rng.stream(6, 'noise', 3)));
  });

  it('continues exactly from a saved state', () => {
    const rng = new Rng(99);
    rng.next();
    const copy = new Rng(rng.state);
    expect([rng.next(), rng.next()]).toEqual([copy.next(), copy.next()]);
  });

  it('draws roughly standard normals and true permutations', () => {
    const values = new Rng(1).normals(20001);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    const order = epochOrder(1, 1, 100);
    expect([...order].sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    expect([...order]).not.toEqual([...Array(100).keys()]);
  });

  it('lends Math.random to a synchronous block and restores it', () => {
    const original = Math.random;
    const inside = withMathRandom(new Rng(3), () => [Math.random(), Math.random()]);
    expect(inside).toEqual([new Rng(3).next(), (() => { const r = new Rng(3); r.next(); return r.next(); })()]);
    expect(Math.random).toBe(original);
  });
});

describe('batches', () => {
  it('drops the last partial batch', () => {
    expect(stepsPerEpoch(20, 8)).toBe(2);
    expect(stepsPerEpoch(7, 8)).toBe(0);
  });

  it('scales uint8 pixels to [-1, 1]', () => {
    const batch = realBatch(new Uint8Array([0, 51, 255]), 3, [1, 1, 1]); // three 1×1×1 images
    expect(batch.shape).toEqual([3, 1, 1, 1]);
    const values = [...batch.dataSync()];
    expect(values[0]).toBeCloseTo(-1);
    expect(values[1]).toBeCloseTo(51 / 127.5 - 1);
    expect(values[2]).toBeCloseTo(1);
    batch.dispose();
    const noise = noiseBatch(1, 5, 3, 4);
    expect(noise.shape).toEqual([3, 4]);
    expect([...noise.dataSync()]).toEqual([...Rng.stream(1, 'noise', 5).normals(12)]);
    noise.dispose();
  });
});
