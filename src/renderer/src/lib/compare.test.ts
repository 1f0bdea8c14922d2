import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../../shared/config';
import type { EpochMetrics } from '../../../shared/metrics';
import { configDiff, gridAt, qualityKeys, sharesNoise } from './compare';

const samples = [
  { epoch: 1, step: 1, url: 'early-1' },
  { epoch: 1, step: 10, url: 'e1' },
  { epoch: 2, step: 20, url: 'e2' },
];

describe('gridAt', () => {
  it('picks the newest grid of the epoch and holds the last one after the run ended', () => {
    expect(gridAt(samples, 1)).toEqual({ sample: samples[1], ended: false });
    expect(gridAt(samples, 2)).toEqual({ sample: samples[2], ended: false });
    expect(gridAt(samples, 5)).toEqual({ sample: samples[2], ended: true });
  });

  it('shows nothing before the first grid', () => {
    expect(gridAt([], 1)).toEqual({ sample: undefined, ended: false });
  });
});

describe('configDiff and sharesNoise', () => {
  const base = resolveTrainingConfig({ preset: 'tiny', seed: 7 });
  const variant = resolveTrainingConfig({ preset: 'tiny', seed: 7, generatorLearningRate: 0.005 });

  it('lists only the keys that differ', () => {
    expect(configDiff([base, variant])).toEqual([
      { key: 'generatorLearningRate', label: 'G learning rate', values: [String(base.generatorLearningRate), '0.005'] },
    ]);
    expect(configDiff([base, base])).toEqual([]);
  });

  it('says grids share noise only when latent size and seed agree', () => {
    expect(sharesNoise([base, variant])).toBe(true);
    expect(sharesNoise([base, { ...variant, seed: 8 }])).toBe(false);
    expect(sharesNoise([base, { ...variant, latentDim: 32 }])).toBe(false);
  });
});

describe('qualityKeys', () => {
  it('finds extra numeric epoch fields', () => {
    const epoch = { epoch: 1, step: 1, gen_loss: 1, disc_loss: 1, real_accuracy: 1, fake_accuracy: 1, images_per_second: 1, seconds: 1 };
    expect(qualityKeys([[epoch], [{ ...epoch, fid: 12 } as EpochMetrics]])).toEqual(['fid']);
  });
});
