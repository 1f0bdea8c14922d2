import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../shared/api';
import { resolveTrainingConfig } from '../../../shared/config';
import type { ScoresRecord } from '../../../shared/scores';
import { compareVerdict, seedSiblings, seedsToAdd } from './compare-verdict';

const base = resolveTrainingConfig({ preset: 'tiny', seed: 1 });

function detail(id: string, config: Partial<typeof base>, fid: number[], datasetId = 'd1'): RunDetail {
  const scores: ScoresRecord[] = fid.map((value, i) => ({
    epoch: i + 1,
    step: (i + 1) * 10,
    seconds: 1,
    sampleSize: 100,
    feature: { network: 'test' },
    scores: { fid: { value, std: 0.5, n: 100 } },
  }));
  const run = {
    version: 1 as const,
    id,
    name: id,
    config: { ...base, ...config },
    dataset: { id: datasetId, name: 'd', fingerprint: 'f', dir: '/d' },
    status: 'completed' as const,
    epoch: fid.length,
    step: fid.length * 10,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    latestSampleUrl: null,
    latestScores: scores.at(-1) ?? null,
  };
  return { run, steps: [], stepCount: 0, msSinceLastEpoch: 0, epochSeconds: 0, epochs: [], samples: [], scores, epochCount: 0, sampleCount: 0, scoreCount: scores.length };
}

describe('seedSiblings', () => {
  it('finds unpicked runs of a picked config with other seeds, on the same dataset only', () => {
    const picked = [detail('a', { seed: 1 }, []).run, detail('b', { dropout: 0.5 }, []).run];
    const all = [
      ...picked,
      detail('a2', { seed: 2 }, []).run,
      detail('b2', { dropout: 0.5, seed: 9 }, []).run,
      detail('other-data', { seed: 3 }, [], 'd2').run,
      detail('other', { dropout: 0.3 }, []).run,
    ];
    expect(seedSiblings(picked, all)).toEqual(['a2', 'b2']);
  });
});

describe('compareVerdict', () => {
  it('uses the marked baseline, folds siblings into its arm and judges each score over the seeds', () => {
    const a = detail('a', { seed: 1 }, [60, 50]);
    const b = detail('b', { dropout: 0.5 }, [40, 30]);
    const a2 = detail('a2', { seed: 2 }, [61, 52]);
    const a3 = detail('a3', { seed: 3 }, [62, 54]);
    const b2 = detail('b2', { dropout: 0.5, seed: 2 }, [41, 31]);
    const b3 = detail('b3', { dropout: 0.5, seed: 3 }, [42, 32]);
    const verdict = compareVerdict([a, b], [a2, b2, a3, b3], 'a')!;
    expect(verdict.baseline.runs.map((r) => r.id)).toEqual(['a', 'a2', 'a3']);
    expect(verdict.result.epoch).toBe(2);
    // FID 30, 31, 32 vs 50, 52, 54: Welch t = −16.27, df = 50/17, p = 0.00057 (mpmath).
    expect(verdict.result.lines.map((l) => l.verdict.sentence)).toEqual([
      "b beats a on FID at epoch 2: 31.0 ± 1.0 vs 52.0 ± 2.0 (mean ± std over 3 seeds each; lower is better; Welch's t-test p < 0.001, Holm-adjusted over 1 score p < 0.001).",
    ]);
    // The other way round, the same numbers say "worse".
    expect(compareVerdict([a, b], [a2, b2, a3, b3], 'b')!.result.lines[0]!.verdict.kind).toBe('worse');
    expect(compareVerdict([a, b], [], 'nope')).toBeUndefined();
  });

  it('two seeds each only lean, and Repeat with seeds is offered up to 3 per arm', () => {
    const a = detail('a', { seed: 1 }, [60]);
    const b = detail('b', { dropout: 0.5 }, [40]);
    const verdict = compareVerdict([a, b], [detail('a2', { seed: 2 }, [61])], 'a')!;
    expect(verdict.result.lines.map((l) => l.verdict.kind)).toEqual(['leans']);
    expect(seedsToAdd([verdict.baseline, ...verdict.variants], 3).map(({ arm, count }) => [arm.name, count])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});
