/**
 * The verdict rule on known numbers: the spread between seeds decides (Welch),
 * several scores at once are corrected (Holm), and fewer than 3 seeds per arm
 * never gives "beats". p-values: mpmath (see stats.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { formatP, judgeScores, summariseArm, type ArmSummary, type ScoreComparison, type VerdictScore } from './verdict';

const fid: VerdictScore = { label: 'FID', direction: 'lower', digits: 1 };
const recognisable: VerdictScore = { label: 'Recognisable %', direction: 'higher', digits: 1, unit: '%' };

const arm = (name: string, values: number[]): ArmSummary => summariseArm(name, values.map((value) => ({ value, std: 0.1, n: 500 })));
const compare = (score: VerdictScore, variant: number[], baseline: number[]): ScoreComparison => ({ score, variant: arm('hinge', variant), baseline: arm('baseline', baseline) });
/** A score where the arms do not differ at all (p = 1): fills a family of tests. */
const flat = (label: string): ScoreComparison => compare({ label, direction: 'lower', digits: 1 }, [5, 6, 7], [5, 6, 7]);

describe('summariseArm', () => {
  it('mean, the sample std over seeds, every value and the smallest n', () => {
    // values 10, 12, 14: mean 12, sample std 2
    const summary = summariseArm('a', [10, 12, 14].map((value, i) => ({ value, std: 9, n: 100 + i })));
    expect(summary).toEqual({ name: 'a', mean: 12, std: 2, seeds: 3, values: [10, 12, 14], n: 100 });
  });

  it('one seed has no spread between seeds (its own sampling std is not used)', () => {
    expect(summariseArm('a', [{ value: 41.2, std: 1.5, n: 500 }])).toMatchObject({ mean: 41.2, std: 0, seeds: 1 });
    expect(() => summariseArm('a', [])).toThrow(/expected at least one estimate/);
  });
});

describe('judgeScores', () => {
  it('3 seeds each, separated: Welch over the seeds says beats, with its p-value', () => {
    // Welch: t = −9/√(5/3), df = 50/17, p = 0.0064576 (mpmath).
    const [verdict] = judgeScores([compare(fid, [10, 12, 14], [20, 21, 22])], 20);
    expect(verdict!.kind).toBe('better');
    expect(verdict!.test!.p).toBeCloseTo(0.0064575892026726275, 12);
    expect(verdict!.sentence).toBe(
      "hinge beats baseline on FID at epoch 20: 12.0 ± 2.0 vs 21.0 ± 1.0 (mean ± std over 3 seeds each; lower is better; Welch's t-test p = 0.0065, Holm-adjusted over 1 score p = 0.0065).",
    );
  });

  it('the direction is honoured: higher the variant on a lower-is-better score is worse, and the reverse', () => {
    expect(judgeScores([compare(fid, [20, 21, 22], [10, 12, 14])], 3)[0]!.kind).toBe('worse');
    expect(judgeScores([compare(recognisable, [20, 21, 22], [10, 12, 14])], 3)[0]!.kind).toBe('better');
    const worse = judgeScores([compare(recognisable, [10, 12, 14], [20, 21, 22])], 3)[0]!;
    expect(worse.kind).toBe('worse');
    expect(worse.sentence).toMatch(/^hinge is worse than baseline on Recognisable % at epoch 3: 12\.0% ± 2\.0% vs 21\.0% ± 1\.0% \(mean ± std over 3 seeds each; higher is better;/);
  });

  it('Holm over the scores tested together: p = 0.021 alone beats, among six scores it does not', () => {
    // [10, 11, 12] vs [13, 14, 15]: t = −3/√(2/3), df = 4, p = 0.0213116 (mpmath).
    const alone = judgeScores([compare(fid, [10, 11, 12], [13, 14, 15])], 5)[0]!;
    expect(alone.kind).toBe('better');
    expect(alone.test!.p).toBeCloseTo(0.021311641128756727, 12);
    const family = judgeScores([compare(fid, [10, 11, 12], [13, 14, 15]), ...['KID', 'SWD', 'Precision', 'Recall', 'Recognisable %'].map(flat)], 5);
    expect(family[0]!.kind).toBe('no-clear-difference');
    expect(family[0]!.test).toMatchObject({ family: 6 });
    expect(family[0]!.test!.pAdjusted).toBeCloseTo(6 * 0.021311641128756727, 12);
    expect(family[0]!.sentence).toBe(
      "No clear difference on FID at epoch 5: hinge 11.0 ± 1.0 vs baseline 14.0 ± 1.0 (mean ± std over 3 seeds each; lower is better; Welch's t-test p = 0.021, Holm-adjusted over 6 scores p = 0.13 > 0.05).",
    );
    expect(family.slice(1).every((v) => v.kind === 'no-clear-difference' && v.test!.pAdjusted === 1)).toBe(true);
  });

  it('fewer than 3 seeds: never beats, however far apart — it says which way it leans and asks for seeds', () => {
    const [one] = judgeScores([compare(fid, [2.31], [2.44])], 1);
    expect(one!.kind).toBe('leans');
    expect(one!.test).toBeUndefined();
    expect(one!.sentence).toBe(
      'hinge leans lower on FID than baseline at epoch 1: 2.3 vs 2.4 (1 seed each; lower is better). Not a verdict: that needs 3 seeds per arm — repeat with seeds.',
    );
    const [two] = judgeScores([compare(recognisable, [80, 82], [10, 12, 14])], 4);
    expect(two!.kind).toBe('leans');
    expect(two!.sentence).toMatch(/^hinge leans higher on Recognisable % than baseline at epoch 4: 81\.0% ± 1\.4% vs 12\.0% ± 2\.0% \(mean ± std over 2 seeds vs 3 seeds; higher is better\)/);
    expect(judgeScores([compare(fid, [3], [3])], 1)[0]!.sentence).toMatch(/^hinge ties with baseline on FID at epoch 1/);
  });

  it('leaning scores stay out of the Holm family; a rule with 2 seeds tests them', () => {
    const verdicts = judgeScores([compare(fid, [10, 12, 14], [20, 21, 22]), compare(recognisable, [80], [10])], 2);
    expect(verdicts.map((v) => v.kind)).toEqual(['better', 'leans']);
    expect(verdicts[0]!.test!.family).toBe(1);
    const lenient = judgeScores([compare(fid, [10, 12], [20, 22])], 2, { minSeeds: 2, alpha: 0.05 })[0]!;
    expect(lenient.test).toBeDefined();
  });
});

describe('formatP', () => {
  it('two significant digits, and a floor', () => {
    expect([formatP(0.0064575), formatP(0.12787), formatP(1), formatP(0.0004)]).toEqual(['p = 0.0065', 'p = 0.13', 'p = 1', 'p < 0.001']);
  });
});
