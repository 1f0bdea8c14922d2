import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from './config';
import { armKey, armVerdicts, commonScoredEpoch, groupArms, nextSeeds, runAgainstBaseline, SAME_ARM_NOTE, verdictLines, type ArmRun } from './score-arms';
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
  const network = (name: string) => ({ network: name });
  it('judges at the newest common epoch over every seed of each arm: Welch + Holm, and names the seeds', () => {
    // FID at epoch 2 — baseline seeds 50, 52, 54; variant 40, 41, 42: Welch t = −8.52, df = 50/17, p = 0.00366 (mpmath).
    const [b1, b2, b3] = [50, 52, 54].map((v, i) => run(`base-${i}`, { seed: i }, [record(1, fid(90, 1)), record(2, fid(v, 1))]));
    const [v1, v2, v3] = [40, 41, 42].map((v, i) => run(`hinge-${i}`, { seed: i, generatorLearningRate: 0.004 }, [record(1, fid(80, 1)), record(2, fid(v, 1)), record(3, fid(1, 1))]));
    const [baseline, variant] = groupArms([b1!, v1!, b2!, b3!, v2!, v3!]);
    const result = armVerdicts(baseline!, [variant!], [b1!, v1!]);
    expect(result.epoch).toBe(2);
    expect(result.needSeeds).toEqual([]);
    expect(result.lines).toHaveLength(1);
    const line = result.lines[0]!;
    expect([line.score, line.baseline.mean, line.baseline.std, line.variant.mean, line.variant.std]).toEqual(['fid', 52, 2, 41, 1]);
    expect(line.verdict.kind).toBe('better');
    expect(line.verdict.sentence).toMatch(/^hinge-0 beats base-0 on FID at epoch 2: 41\.0 ± 1\.0 vs 52\.0 ± 2\.0 \(mean ± std over 3 seeds each; lower is better; Welch's t-test p = 0\.0037, Holm-adjusted over 1 score p = 0\.0037\)\.$/);
    expect(verdictLines(result)).toEqual([line.verdict.sentence]);
  });

  it('one seed each (the issue\'s two tiny runs): no "beats" however far apart, a lean, and both arms need seeds', () => {
    const precision = (value: number) => ({ precision: { value, std: 0.02, n: 500 } });
    const b = run('tiny 2 epochs', { seed: 1, epochs: 2 }, [record(1, precision(0.326))]);
    const v = run('tiny 1 epoch', { seed: 7, epochs: 1 }, [record(1, precision(0.444))]);
    const [baseline, variant] = groupArms([b, v]);
    const result = armVerdicts(baseline!, [variant!], [b, v]);
    expect(result.lines.map((l) => l.verdict.kind)).toEqual(['leans']);
    expect(verdictLines(result)).toEqual([
      'tiny 1 epoch leans higher on Precision than tiny 2 epochs at epoch 1: 0.444 vs 0.326 (1 seed each; higher is better). Not a verdict: that needs 3 seeds per arm — repeat with seeds.',
      'For a verdict, repeat with seeds: “tiny 2 epochs” has 1, “tiny 1 epoch” has 1 of the 3 scored seeds an arm needs. Use Repeat with seeds on the run page or in Compare, or train the same settings again with another --seed.',
    ]);
    expect(result.needSeeds.map(({ arm, seeds }) => [arm.name, seeds])).toEqual([['tiny 2 epochs', 1], ['tiny 1 epoch', 1]]);
  });

  it('refuses arms on another dataset or feature network, and counts what a later seed has not reached', () => {
    const b = run('b', { seed: 1 }, [record(1, fid(50))]);
    const elsewhere = run('other data', { seed: 1 }, [record(1, fid(10))], 'd2');
    const [baseline, variant] = groupArms([b, elsewhere]);
    const refused = armVerdicts(baseline!, [variant!], [b, elsewhere]);
    expect(refused.lines).toEqual([]);
    expect(refused.notes[0]).toMatch(/^“other data” trained on another dataset \(or image size\) than the baseline “b” \(d2 vs d1\)/);

    const bigger = { ...record(1, fid(10)), sampleSize: 1000 };
    const v = run('v', { seed: 1, dropout: 0.5 }, [bigger]);
    const [b2, v2] = groupArms([b, v]);
    expect(armVerdicts(b2!, [v2!], [b, v]).notes[0]).toMatch(/scored on different scales at epoch 1 \(test, n = 100; test, n = 1000\)/);
    const other = run('w', { seed: 1, dropout: 0.5 }, [{ ...record(1, fid(10)), feature: network('classifier cnn-28x28x1') }]);
    const [b3, w] = groupArms([b, other]);
    expect(armVerdicts(b3!, [w!], [b, other]).notes[0]).toMatch(/classifier cnn-28x28x1, n = 100/);
  });

  it('a seed that has not reached the epoch is left out of its arm and the arm is offered more seeds', () => {
    const b1 = run('b1', { seed: 1 }, [record(1, fid(50, 1)), record(2, fid(50, 1))]);
    const b2 = run('b2', { seed: 2 }, [record(1, fid(52, 1))]);
    const v = run('v', { seed: 1, dropout: 0.5 }, [record(1, fid(40, 1)), record(2, fid(40, 1))]);
    const [baseline, variant] = groupArms([b1, v, b2]);
    const result = armVerdicts(baseline!, [variant!], [b1, v]);
    expect(result.epoch).toBe(2);
    expect(result.lines[0]!.baseline.seeds).toBe(1);
    expect(result.needSeeds.map(({ arm, seeds }) => [arm.name, seeds])).toEqual([['b1', 1], ['v', 1]]);
  });

  it('warns when the arms use different presets, and explains when there is nothing to judge', () => {
    const a = run('a', { seed: 1 }, [record(1, fid(1))]);
    const q = run('q', { seed: 1, preset: 'quick' }, [record(1, fid(2))]);
    const [pa, pq] = groupArms([a, q]);
    expect(armVerdicts(pa!, [pq!], [a, q]).notes[0]).toMatch(/^“q” uses preset quick, the baseline tiny: the verdict compares the two models as wholes/);
    const b = run('b', { seed: 2 }, [record(2, fid(1))]);
    expect(armVerdicts(groupArms([a, b])[0]!, [], [a, b]).notes).toEqual([expect.stringMatching(/same config/)]);
    const c = run('c', { dropout: 0.5 }, [record(2, fid(1))]);
    expect(armVerdicts(groupArms([a])[0]!, groupArms([c]), [a, c]).notes).toEqual([expect.stringMatching(/No epoch has quality scores/)]);
  });
});

describe('runAgainstBaseline', () => {
  it('judges a run and its seeds against a baseline and its seeds; only seeds apart, they are one arm', () => {
    const own = [run('v', { seed: 1, dropout: 0.5 }, [record(1, fid(40))]), run('v2', { seed: 2, dropout: 0.5 }, [record(1, fid(41))])];
    const base = [run('b', { seed: 1 }, [record(1, fid(50))])];
    const judged = runAgainstBaseline(own, base);
    expect([judged.ownArm.runs.length, judged.baseArm?.runs.length]).toEqual([2, 1]);
    expect(judged.result.lines.map((l) => l.verdict.kind)).toEqual(['leans']);
    const same = runAgainstBaseline(base, [run('b2', { seed: 2 }, [record(1, fid(52))])]);
    expect(same.baseArm).toBeUndefined();
    expect(verdictLines(same.result)).toEqual([SAME_ARM_NOTE]);
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
