import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../shared/api';
import { resolveTrainingConfig } from '../../../shared/config';
import type { PresetName } from '../../../shared/presets';
import { groupRunsByScale } from './run-groups';

function summary(id: string, preset: PresetName, datasetId: string): RunSummary {
  return {
    version: 1,
    id,
    name: id,
    config: resolveTrainingConfig({ preset, seed: 1 }),
    dataset: { id: datasetId, name: 'Fashion-MNIST (test set)', fingerprint: 'f', dir: '/d' },
    status: 'completed',
    epoch: 1,
    step: 1,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    latestSampleUrl: null,
    latestScores: null,
  } as RunSummary;
}

describe('groupRunsByScale', () => {
  it('puts tiny (16×16) and quick (28×28) runs of one dataset in separate groups, newest group first', () => {
    const runs = [summary('q2', 'quick', 'fm-28'), summary('t1', 'tiny', 'fm-16'), summary('tf', 'tf-tutorial', 'fm-28'), summary('t0', 'tiny', 'fm-16')];
    expect(groupRunsByScale(runs).map((g) => [g.label, g.runs.map((r) => r.id)])).toEqual([
      ['Fashion-MNIST (test set) at 28×28', ['q2', 'tf']],
      ['Fashion-MNIST (test set) at 16×16', ['t1', 't0']],
    ]);
  });
});
