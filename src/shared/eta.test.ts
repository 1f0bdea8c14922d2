import { describe, expect, it } from 'vitest';
import { etaSeconds, typicalStepMs } from './eta';

describe('etaSeconds', () => {
  it('is unknown until three steps, so a warm-up step alone never sets it', () => {
    expect(etaSeconds([3000], 1000)).toBeUndefined();
    expect(etaSeconds([3000, 200], 1000)).toBeUndefined();
    // The 3 s warm-up step is the median's outlier: 1000 steps at 0.2 s.
    expect(etaSeconds([3000, 200, 210], 1000)).toBeCloseTo(210, 6);
  });

  it('stays put when one step is slow (a sample grid, a score) and follows a lasting change of pace', () => {
    const steady = Array.from({ length: 40 }, () => 200);
    expect(etaSeconds([...steady, 5000], 600)).toBeCloseTo(120, 6);
    const slower = [...steady, ...Array.from({ length: 30 }, () => 400)];
    // The newest 50: 20 at 200 ms and 30 at 400 ms.
    expect(etaSeconds(slower, 600)).toBeCloseTo(240, 6);
  });

  it('is zero at the end and never negative', () => {
    expect(etaSeconds([100, 100, 100], 0)).toBe(0);
    expect(etaSeconds([100, 100, 100], -5)).toBe(0);
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(typicalStepMs([1, 2, 3, 10])).toBe(2.5);
  });
});
