import { describe, expect, it } from 'vitest';
import { interpolationLatents, latentAt, sampleLatents, slerp } from './latents';

const norm = (v: Float32Array) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
const unit = (v: number[]) => {
  const n = Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
  return Float32Array.from(v.map((x) => x / n));
};

describe('slerp', () => {
  const a = Float32Array.from([0.3, -1.2, 2.5, 0.7]);
  const b = Float32Array.from([-1.1, 0.4, 0.9, -2.0]);

  it('returns the endpoints exactly at t = 0 and t = 1', () => {
    expect(slerp(a, b, 0)).toEqual(a);
    expect(slerp(a, b, 1)).toEqual(b);
  });

  it('gives (a + b) / √2 halfway between orthogonal unit vectors', () => {
    const x = Float32Array.from([1, 0, 0]);
    const y = Float32Array.from([0, 1, 0]);
    const mid = slerp(x, y, 0.5);
    expect(mid[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(mid[1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(mid[2]).toBe(0);
    // A linear interpolation would give 0.5, 0.5 (norm 0.707): this is what slerp avoids.
    expect(norm(mid)).toBeCloseTo(1, 6);
    // A quarter of the way is 22.5° from x.
    const quarter = slerp(x, y, 0.25);
    expect(quarter[0]).toBeCloseTo(Math.cos(Math.PI / 8), 6);
    expect(quarter[1]).toBeCloseTo(Math.sin(Math.PI / 8), 6);
  });

  it('keeps unit vectors on the unit sphere for every t', () => {
    const u = unit([0.3, -1.2, 2.5, 0.7]);
    const v = unit([-1.1, 0.4, 0.9, -2.0]);
    for (const t of [0.1, 0.33, 0.5, 0.8, 0.99]) expect(norm(slerp(u, v, t))).toBeCloseTo(1, 5);
  });

  it('falls back to linear interpolation for parallel vectors, and refuses mismatched lengths', () => {
    const v = Float32Array.from([1, 2]);
    expect(Array.from(slerp(v, Float32Array.from([2, 4]), 0.5))).toEqual([1.5, 3]);
    expect(() => slerp(v, Float32Array.from([1, 2, 3]), 0.5)).toThrow(/one length, got 2 and 3/);
  });
});

describe('latents', () => {
  it('names one vector per (seed, index), whatever the count drawn', () => {
    const many = sampleLatents(42, 10, 5);
    expect(sampleLatents(42, 3, 5)).toEqual(many.slice(0, 15));
    expect(latentAt(42, 7, 5)).toEqual(many.slice(35, 40));
    expect(sampleLatents(43, 3, 5)).not.toEqual(many.slice(0, 15));
  });

  it('interpolates frames from a to b inclusive', () => {
    const a = latentAt(1, 0, 8);
    const b = latentAt(1, 1, 8);
    const frames = interpolationLatents(a, b, 5);
    expect(frames.length).toBe(40);
    expect(frames.slice(0, 8)).toEqual(a);
    expect(frames.slice(32, 40)).toEqual(b);
    expect(frames.slice(16, 24)).toEqual(slerp(a, b, 0.5));
    expect(() => interpolationLatents(a, b, 1)).toThrow(/at least 2 frames/);
  });
});
