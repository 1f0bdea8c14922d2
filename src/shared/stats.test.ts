/**
 * The verdict's statistics on known numbers. Reference values: closed forms
 * (Cauchy for df = 1, t with df = 2), printed t tables, and mpmath 1.3.0
 * (`betainc(a, b, 0, x, regularized=True)`, 30 digits) — an arbitrary-precision
 * implementation independent of ours; the Welch references are the textbook
 * formulas evaluated in mpmath.
 */
import { describe, expect, it } from 'vitest';
import { holmAdjust, logGamma, regularizedIncompleteBeta, studentTCdf, twoSidedP, welchTTest } from './stats';

describe('logGamma', () => {
  it('matches mpmath.loggamma and Γ(n) = (n − 1)!', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5723649429247001, 13); // ln √π
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGamma(100.5)).toBeCloseTo(361.4355404677776, 10);
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 13);
    expect(() => logGamma(0)).toThrow(/x > 0/);
  });
});

describe('regularizedIncompleteBeta', () => {
  it('matches mpmath.betainc on both sides of the mean (the symmetry branch too)', () => {
    expect(regularizedIncompleteBeta(0.4, 2, 3)).toBeCloseTo(0.5248, 13); // polynomial: exact
    expect(regularizedIncompleteBeta(0.2, 0.5, 0.5)).toBeCloseTo(0.2951672353008666, 13); // (2/π)·asin(√0.2)
    expect(regularizedIncompleteBeta(0.95, 10, 0.5)).toBeCloseTo(0.31715157546554507, 12);
    expect(regularizedIncompleteBeta(0.99, 150, 0.5)).toBeCloseTo(0.0827480032540805, 11);
    expect([regularizedIncompleteBeta(0, 2, 3), regularizedIncompleteBeta(1, 2, 3)]).toEqual([0, 1]);
  });

  it('refuses arguments outside its domain', () => {
    expect(() => regularizedIncompleteBeta(1.5, 2, 3)).toThrow(/0 ≤ x ≤ 1/);
    expect(() => regularizedIncompleteBeta(0.5, 0, 3)).toThrow(/a, b > 0/);
  });
});

describe('studentTCdf', () => {
  it('is the Cauchy distribution at df = 1 and the closed form at df = 2', () => {
    for (const t of [-30, -2, -0.5, 0, 0.3, 1, 7]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 13);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 13);
    }
  });

  it('gives the printed t table: 97.5% and 99.5% quantiles', () => {
    expect(studentTCdf(12.7062047, 1)).toBeCloseTo(0.975, 9);
    expect(studentTCdf(2.776445105, 4)).toBeCloseTo(0.975, 9);
    expect(studentTCdf(4.604094871, 4)).toBeCloseTo(0.995, 9);
    expect(studentTCdf(2.228138852, 10)).toBeCloseTo(0.975, 9);
  });

  it('matches mpmath off the table, at fractional df (Welch) and far in the tail', () => {
    expect(studentTCdf(-1.5, 3)).toBeCloseTo(0.11529193262241151, 13);
    expect(studentTCdf(0.7, 2.5)).toBeCloseTo(0.7282975284052259, 13);
    expect(studentTCdf(-0.3, 7.3)).toBeCloseTo(0.3862702680898553, 13);
    expect(studentTCdf(2, 30)).toBeCloseTo(0.9726874775185085, 13);
    expect(studentTCdf(-10, 3) / 0.0010641995292070751).toBeCloseTo(1, 10);
    expect(studentTCdf(-40, 200) / 1.124369826760119e-97).toBeCloseTo(1, 8);
  });

  it('is symmetric, and the two-sided p is twice the lower tail', () => {
    expect(studentTCdf(1.3, 5) + studentTCdf(-1.3, 5)).toBeCloseTo(1, 14);
    expect(twoSidedP(-2.776445105, 4)).toBeCloseTo(0.05, 9);
    expect(twoSidedP(2.776445105, 4)).toBeCloseTo(0.05, 9);
    expect([studentTCdf(Infinity, 3), studentTCdf(-Infinity, 3), twoSidedP(Infinity, 3)]).toEqual([1, 0, 0]);
  });
});

describe('welchTTest', () => {
  it('matches the formulas evaluated in mpmath, sign included', () => {
    // Means 12 and 21, variances 4 and 1: t = −9/√(5/3), df = 50/17.
    const low = welchTTest([10, 12, 14], [20, 21, 22]);
    expect(low.difference).toBe(-9);
    expect(low.t).toBeCloseTo(-6.971370023173351, 12);
    expect(low.df).toBeCloseTo(50 / 17, 12);
    expect(low.p).toBeCloseTo(0.0064575892026726275, 12);
    // Swapping the samples flips the sign, not the p-value.
    const high = welchTTest([20, 21, 22], [10, 12, 14]);
    expect([high.t, high.p]).toEqual([-low.t, low.p]);
  });

  it('unequal sizes and variances (Satterthwaite df is fractional)', () => {
    const result = welchTTest([2.44, 2.31, 2.6], [1.33, 1.52, 1.41, 1.38]);
    expect(result.t).toBeCloseTo(11.182149275865783, 11);
    expect(result.df).toBeCloseTo(2.9221726002133543, 11);
    expect(result.p).toBeCloseTo(0.0017272489729310155, 13);
    const overlapping = welchTTest([0.326, 0.4, 0.352], [0.444, 0.38, 0.402]);
    expect(overlapping.t).toBeCloseTo(-1.7204650534085253, 12);
    expect(overlapping.df).toBeCloseTo(3.920169429207295, 12);
    expect(overlapping.p).toBeCloseTo(0.1619188638144311, 12);
  });

  it('arms without spread: equal means p = 1, different means p = 0; one value per arm is refused', () => {
    expect(welchTTest([3, 3, 3], [3, 3, 3]).p).toBe(1);
    expect(welchTTest([3, 3, 3], [4, 4, 4]).p).toBe(0);
    expect(() => welchTTest([1], [2, 3])).toThrow(/at least 2 values/);
  });
});

describe('holmAdjust', () => {
  it('steps down: the smallest p times m, the next times m − 1, …, in the input order', () => {
    // Sorted: 0.005·6 = 0.03, 0.01·5 = 0.05, 0.03·4 = 0.12, 0.04·3 = 0.12, 0.2·2 = 0.4, 0.5·1 = 0.5.
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005, 0.2, 0.5]);
    const expected = [0.05, 0.12, 0.12, 0.03, 0.4, 0.5];
    adjusted.forEach((p, i) => expect(p).toBeCloseTo(expected[i]!, 14));
    // Bonferroni would give 0.06 to the 0.01: Holm rejects it at α = 0.05, Bonferroni does not.
    expect(adjusted[0]! <= 0.05 && 0.01 * 6 > 0.05).toBe(true);
  });

  it('keeps adjusted values monotone in the raw ones and caps them at 1', () => {
    // 0.012·1 = 0.012 would undercut 0.011·2 = 0.022: the running maximum keeps 0.022.
    const adjusted = holmAdjust([0.012, 0.001, 0.011]);
    [0.022, 0.003, 0.022].forEach((p, i) => expect(adjusted[i]).toBeCloseTo(p, 14));
    expect(holmAdjust([0.6, 0.7])).toEqual([1, 1]);
    expect(holmAdjust([])).toEqual([]);
  });
});
