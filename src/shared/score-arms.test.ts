import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from './config';
import { armKey, armVerdicts, commonScoredEpoch, groupArms, nextSeeds, type ArmRun } from './score-arms';
import { formatScoreValue, scoreDigits } from './score-format';
import type { ScoreMap, ScoresRecord } from './scores';

const base = resolveTrainingConfig({ preset: 'tiny', seed: 1 });

function record(epoch: number, scores: ScoreMap): ScoresRecord {
  return { epoch, step: epoch * 10, seconds: 1, sampleSize: 100, feature: { network: 'test' }, scores };
}

function run(id: string, config: Partial<typeof base>, scores: ScoresRecord[] = [], datasetId = 'd1'): ArmRun {
  return { id, name: id, config: { ...base, ...config }, datasetId, scores };
}

const fid = (value: number, std = 0) => ({ fid: { value, std, n: 100 } });

describe('armKey / groupArms', () => {
  it('runs that differ only in the seed share an arm; any other field, or the dataset, splits them', () => {
    expect(armKey({ ...base, seed: 1 }, 'd1')).toBe(armKey({ ...base, seed: 99 }, 'd1'));
    expect(armKey(base, 'd1')).not.toBe(armKey({ ...base, generatorLearningRate: base.generatorLearningRate * 2 }, 'd1'));
    expect(armKey(base, 'd1')).not.toBe(armKey(base, 'd2'));
  });

  it('ignores key order and unset optional fields', () => {
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as typeof base;
    expect(armKey(reordered, 'd1')).toBe(armKey(base, 'd1'));
    expect(armKey({ ...base, backend: undefined }, 'd1')).toBe(armKey(base, 'd1'));
  });

  it('groups in order of first appearance, named after the first run, without duplicates', () => {
    const runs = [run('base-1', { seed: 1 }), run('fast', { generatorLearningRate: 0.004 }), run('base-2', { seed: 2 }), run('base-1', { seed: 1 })];
    const arms = groupArms(runs);
    expect(arms.map((arm) => [arm.name, arm.runs.map((r) => r.id)])).toEqual([
      ['base-1', ['base-1', 'base-2']],
      ['fast', ['fast']],
    ]);
  });
});

describe('commonScoredEpoch', () => {
  it('is the newest epoch every run scored', () => {
    expect(commonScoredEpoch([{ scores: [record(1, {}), record(2, {}), record(4, {})] }, { scores: [record(1, {}), record(2, {}), record(3, {})] }])).toBe(2);
    expect(commonScoredEpoch([{ scores: [record(1, {})] }, { scores: [] }])).toBeUndefined();
  });
});

describe('armVerdicts', () => {
  it('judges at the newest common epoch with the mean over every seed of each arm', () => {
    // Baseline FID over 3 seeds: 50, 52, 54 (mean 52, SE 2/√3); variant: 40, 41, 42 (mean 41, SE 1/√3) → separated, lower is better.
    const [b1, b2, b3] = [50, 52, 54].map((v, i) => run(`base-${i}`, { seed: i }, [record(1, fid(90, 1)), record(2, fid(v, 1))]));
    const [v1, v2, v3] = [40, 41, 42].map((v, i) => run(`hinge-${i}`, { seed: i, generatorLearningRate: 0.004 }, [record(1, fid(80, 1)), record(2, fid(v, 1)), record(3, fid(1, 1))]));
    const [baseline, variant] = groupArms([b1!, v1!, b2!, b3!, v2!, v3!]);
    const result = armVerdicts(baseline!, [variant!], [b1!, v1!]);
    expect(result.epoch).toBe(2);
    expect(result.lines).toHaveLength(1);
    const line = result.lines[0]!;
    expect(line.score).toBe('fid');
    expect(line.baseline.mean).toBe(52);
    expect(line.baseline.standardError).toBeCloseTo(2 / Math.sqrt(3), 12);
    expect(line.variant.mean).toBe(41);
    expect(line.verdict.kind).toBe('better');
    expect(line.verdict.sentence).toMatch(/^hinge-0 beats base-0 on FID at epoch 2: 41\.0 ± 1\.2 vs 52\.0 ± 2\.3 \(lower is better; 3 seeds each/);
  });

  it('a worse variant is called worse, overlapping ones no clear difference', () => {
    const b = run('b', { seed: 1 }, [record(1, { kid: { value: 0.01, std: 0.002, n: 100 }, recall: { value: 0.5, std: 0.1, n: 100 } })]);
    const v = run('v', { seed: 1, dropout: 0.5 }, [record(1, { kid: { value: 0.05, std: 0.002, n: 100 }, recall: { value: 0.55, std: 0.1, n: 100 } })]);
    const [baseline, variant] = groupArms([b, v]);
    const lines = armVerdicts(baseline!, [variant!], [b, v]).lines;
    expect(lines.map((l) => [l.score, l.verdict.kind])).toEqual([
      ['kid', 'worse'],
      ['recall', 'no-clear-difference'],
    ]);
    // KID's decimals follow its size.
    expect(lines[0]!.verdict.sentence).toContain('0.050 ± 0.004 vs 0.010 ± 0.004');
  });

  it('a seed that has not reached the epoch is left out of its arm, and the sentence counts what is left', () => {
    const b1 = run('b1', { seed: 1 }, [record(1, fid(50, 1)), record(2, fid(50, 1))]);
    const b2 = run('b2', { seed: 2 }, [record(1, fid(52, 1))]);
    const v = run('v', { seed: 1, dropout: 0.5 }, [record(1, fid(40, 1)), record(2, fid(40, 1))]);
    const [baseline, variant] = groupArms([b1, v, b2]);
    const result = armVerdicts(baseline!, [variant!], [b1, v]);
    expect(result.epoch).toBe(2);
    expect(result.lines[0]!.baseline.seeds).toBe(1);
  });

  it('explains when there is nothing to judge', () => {
    const a = run('a', { seed: 1 }, [record(1, fid(1))]);
    const b = run('b', { seed: 2 }, [record(2, fid(1))]);
    expect(armVerdicts(groupArms([a, b])[0]!, [], [a, b]).note).toMatch(/same config/);
    const c = run('c', { dropout: 0.5 }, [record(2, fid(1))]);
    expect(armVerdicts(groupArms([a])[0]!, groupArms([c]), [a, c]).note).toMatch(/No epoch has quality scores/);
  });
});

describe('nextSeeds', () => {
  it('skips seeds already used and wraps below 2^31', () => {
    expect(nextSeeds(42, [43, 45], 3)).toEqual([44, 46, 47]);
    expect(nextSeeds(2 ** 31 - 2, [], 3)).toEqual([2 ** 31 - 1, 0, 1]);
  });
});

describe('score formatting', () => {
  it('keeps two to three significant digits and always the sample size', () => {
    expect([scoreDigits([41.2]), scoreDigits([3.14]), scoreDigits([0.012]), scoreDigits([0.0012]), scoreDigits([0])]).toEqual([1, 2, 3, 4, 1]);
    expect(formatScoreValue({ unit: '%' }, { value: 62.04, std: 1.3, n: 500 })).toBe('62.0 ± 1.3% (n = 500)');
    expect(formatScoreValue({ unit: '' }, { value: 0.0123, std: 0, n: 50 })).toBe('0.012 (n = 50)');
  });
});
