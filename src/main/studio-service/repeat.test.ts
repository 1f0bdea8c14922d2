import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import type { RunRecord } from '../../shared/run';
import { planRepeats, startInOrder } from './repeat';

function record(id: string, name: string, config: Parameters<typeof resolveTrainingConfig>[0], datasetId = 'd1'): RunRecord {
  return {
    version: 1,
    id,
    name,
    config: resolveTrainingConfig(config),
    dataset: { id: datasetId, name: 'd', fingerprint: 'f', dir: '/d' },
    status: 'completed',
    epoch: 1,
    step: 1,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

describe('planRepeats', () => {
  it('keeps every setting but the seed, skips seeds its config already used, and names each repeat by its seed', () => {
    const source = record('a', 'baseline', { preset: 'tiny', seed: 7, batchSize: 8 });
    const all = [
      source,
      record('b', 'baseline · seed 8', { preset: 'tiny', seed: 8, batchSize: 8 }),
      // Another config, or another dataset, does not take a seed.
      record('c', 'other', { preset: 'tiny', seed: 9, batchSize: 16 }),
      record('d', 'other data', { preset: 'tiny', seed: 10, batchSize: 8 }, 'd2'),
    ];
    const plans = planRepeats(source, all, 3);
    expect(plans.map((p) => [p.name, p.config.seed])).toEqual([
      ['baseline · seed 9', 9],
      ['baseline · seed 10', 10],
      ['baseline · seed 11', 11],
    ]);
    for (const plan of plans) expect({ ...plan.config, seed: source.config.seed }).toEqual(source.config);
    // Repeating a repeat does not stack the suffix.
    expect(planRepeats(all[1]!, all, 1)[0]!.name).toBe('baseline · seed 9');
  });
});

describe('startInOrder', () => {
  it('starts the runs in order and carries on past one that cannot start', async () => {
    const started: string[] = [];
    const runs = {
      start: async (id: string) => {
        await new Promise((resolve) => setTimeout(resolve, id === 'a' ? 10 : 0));
        if (id === 'b') throw new Error('dataset gone');
        started.push(id);
      },
    };
    const failed: string[] = [];
    await startInOrder(['a', 'b', 'c'], runs, async (id, error) => void failed.push(`${id}: ${error.message}`));
    expect(started).toEqual(['a', 'c']);
    expect(failed).toEqual(['b: dataset gone']);
  });
});
