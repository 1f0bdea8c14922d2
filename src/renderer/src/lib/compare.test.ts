import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../../shared/config';
import type { EpochMetrics } from '../../../shared/metrics';
import { configDiff, gridAt, qualityKeys, runDiff, sharesNoise } from './compare';

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

  it('lists the dataset first when the runs trained on different ones, told apart by where each came from', () => {
    const options = { fit: 'cover' as const, background: 'black' };
    const folder = { id: 'cifar-1', name: 'cifar', fingerprint: 'a', dir: '/d/1', source: { path: '/data/cifar', kind: 'folder' as const, options } };
    const tarball = { id: 'cifar-2', name: 'cifar', fingerprint: 'a', dir: '/d/2', source: { path: '/data/cifar.tar.gz', kind: 'tar' as const, options } };
    expect(runDiff([{ config: base, dataset: folder }, { config: variant, dataset: tarball }])).toEqual([
      { key: 'dataset', label: 'Dataset', values: ['cifar (folder · cifar)', 'cifar (tar · cifar.tar.gz)'] },
      { key: 'generatorLearningRate', label: 'G learning rate', values: [String(base.generatorLearningRate), '0.005'] },
    ]);
    // One dataset (one cache): nothing to say about it.
    expect(runDiff([{ config: base, dataset: folder }, { config: base, dataset: folder }])).toEqual([]);
    const old = { id: 'old-1', name: 'cifar', fingerprint: 'a', dir: '/d/3' };
    expect(runDiff([{ config: base, dataset: folder }, { config: base, dataset: old }])[0]?.values[1]).toBe('cifar (old-1)');
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
