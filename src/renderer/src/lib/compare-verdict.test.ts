import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../shared/api';
import { resolveTrainingConfig } from '../../../shared/config';
import type { ScoresRecord } from '../../../shared/scores';
import { compareVerdict, seedSiblings } from './compare-verdict';

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
  it('uses the marked baseline, folds siblings into its arm and judges each score', () => {
    const a = detail('a', { seed: 1 }, [60, 50]);
    const b = detail('b', { dropout: 0.5 }, [40, 30]);
    const a2 = detail('a2', { seed: 2 }, [61, 52]);
    const b2 = detail('b2', { dropout: 0.5, seed: 2 }, [41, 31]);
    const verdict = compareVerdict([a, b], [a2, b2], 'a')!;
    expect(verdict.baseline.runs.map((r) => r.id)).toEqual(['a', 'a2']);
    expect(verdict.result.epoch).toBe(2);
    expect(verdict.result.lines.map((l) => l.verdict.sentence)).toEqual([
      'b beats a on FID at epoch 2: 30.5 ± 1.0 vs 51.0 ± 2.0 (lower is better; 2 seeds each, n = 100 samples per run; ± is 2 standard errors).',
    ]);
    // The other way round, the same numbers say "worse".
    expect(compareVerdict([a, b], [a2, b2], 'b')!.result.lines[0]!.verdict.kind).toBe('worse');
    expect(compareVerdict([a, b], [], 'nope')).toBeUndefined();
  });
});
