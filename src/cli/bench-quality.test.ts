import { describe, expect, it } from 'vitest';
import { claimLine, type ClaimPoint } from './bench-quality';

const point = (seconds: number, recognisable: number, realRecognisable = 50): ClaimPoint => ({
  seconds,
  cpuSeconds: seconds - 10,
  step: seconds * 4,
  recognisable,
  realRecognisable,
});

describe('claimLine', () => {
  it('names the first point at or above half of real images\' recognisable %', () => {
    expect(claimLine([point(60, 10), point(120, 25), point(180, 30)], 300)).toBe(
      "reached half of real images' recognisable % at 120 s wall / 110 s CPU, step 480: 25.0% vs real images' 50.0%.",
    );
  });

  it('says so, with the best point, when no point reaches half', () => {
    expect(claimLine([point(60, 10), point(120, 24.9), point(180, 20)], 300)).toBe(
      "did not reach half of real images' recognisable % within 300 s; best 24.9% vs real images' 50.0% at 120 s wall / 110 s CPU, step 480.",
    );
  });

  it('says when no epoch finished within the budget', () => {
    expect(claimLine([], 20)).toBe('no scoring point within 20 s: the first epoch did not finish.');
  });
});
