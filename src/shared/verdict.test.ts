import { describe, expect, it } from 'vitest';
import { scoreVerdict, summariseArm } from './verdict';

const fid = { label: 'FID', direction: 'lower' as const, digits: 1 };
const recognisable = { label: 'recognisable %', direction: 'higher' as const, digits: 1 };

describe('summariseArm', () => {
  it('one seed: its value and its own std', () => {
    expect(summariseArm('a', [{ value: 41.2, std: 1.5, n: 500 }])).toEqual({ name: 'a', mean: 41.2, standardError: 1.5, seeds: 1, n: 500 });
  });

  it('several seeds: mean, and the standard error over seeds (sample std / √k)', () => {
    // values 10, 12, 14: mean 12, sample std 2, SE 2/√3
    const arm = summariseArm('a', [10, 12, 14].map((value, i) => ({ value, std: 9, n: 100 + i })));
    expect(arm.mean).toBe(12);
    expect(arm.standardError).toBeCloseTo(2 / Math.sqrt(3), 12);
    expect(arm.seeds).toBe(3);
    expect(arm.n).toBe(100);
  });

  it('refuses an empty arm', () => {
    expect(() => summariseArm('a', [])).toThrow(/expected at least one estimate/);
  });
});

describe('scoreVerdict', () => {
  const arm = (name: string, mean: number, standardError: number, seeds = 3) => ({ name, mean, standardError, seeds, n: 1000 });

  it('lower-is-better: separated intervals with the variant lower → beats', () => {
    const verdict = scoreVerdict(fid, 20, arm('hinge', 41.2, 1), arm('baseline', 55.8, 1.5));
    expect(verdict.kind).toBe('better');
    expect(verdict.sentence).toBe(
      'hinge beats baseline on FID at epoch 20: 41.2 ± 2.0 vs 55.8 ± 3.0 (lower is better; 3 seeds each, n = 1000 samples per run; ± is 2 standard errors).',
    );
  });

  it('lower-is-better: the variant higher → worse (the direction is honoured)', () => {
    expect(scoreVerdict(fid, 20, arm('hinge', 55.8, 1), arm('baseline', 41.2, 1)).kind).toBe('worse');
  });

  it('higher-is-better flips the reading of the same numbers', () => {
    expect(scoreVerdict(recognisable, 5, arm('ema', 80, 1), arm('baseline', 60, 1)).kind).toBe('better');
    expect(scoreVerdict(recognisable, 5, arm('ema', 60, 1), arm('baseline', 80, 1)).kind).toBe('worse');
  });

  it('overlapping ±2 SE intervals → no clear difference', () => {
    // |diff| = 3.9 ≤ 2·(1 + 1) = 4
    const verdict = scoreVerdict(fid, 10, arm('v', 50, 1), arm('b', 53.9, 1));
    expect(verdict.kind).toBe('no-clear-difference');
    expect(verdict.sentence).toMatch(/^No clear difference on FID at epoch 10: v 50\.0 ± 2\.0 vs 53\.9 ± 2\.0/);
    // just past the boundary it is a verdict
    expect(scoreVerdict(fid, 10, arm('v', 50, 1), arm('b', 54.1, 1)).kind).toBe('better');
  });

  it('one seed each with no spread is not a verdict: it asks for seeds', () => {
    const verdict = scoreVerdict(fid, 3, arm('v', 40, 0, 1), arm('b', 50, 0, 1));
    expect(verdict.kind).toBe('needs-seeds');
    expect(verdict.sentence).toContain('v leads b on FID at epoch 3: 40.0 vs 50.0');
    expect(verdict.sentence).toContain('repeat with seeds');
  });

  it('names unequal seed counts', () => {
    expect(scoreVerdict(fid, 1, arm('v', 10, 1, 1), arm('b', 30, 1, 4)).sentence).toContain('1 seed vs 4 seeds');
  });
});
