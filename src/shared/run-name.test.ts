import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from './config';
import { autoRunName, describeChanges, safeFileName } from './run-name';

const config = (input: Parameters<typeof resolveTrainingConfig>[0]) => resolveTrainingConfig({ seed: 7, ...input });

describe('autoRunName', () => {
  it('names a first run by preset and dataset, plus what it changes from the preset', () => {
    expect(autoRunName(config({ preset: 'quick' }), 'Fashion-MNIST (test set)')).toBe('quick · Fashion-MNIST');
    expect(autoRunName(config({ preset: 'tiny', latentDim: 32, epochs: 3 }), 'shapes')).toBe('tiny · shapes · latent 32 · 3 epochs');
    // The "tiny · Fashion-MNIST · 1 epochs": one epoch is singular.
    expect(autoRunName(config({ preset: 'tiny', epochs: 1 }), 'Fashion-MNIST (test set)')).toBe('tiny · Fashion-MNIST · 1 epoch');
  });

  it('names a variant by what differs from its parent, ignoring the seed', () => {
    const parent = config({ preset: 'quick', latentDim: 64 });
    const child = resolveTrainingConfig({ preset: 'quick', latentDim: 64, loss: 'hinge', seed: 99 } as Parameters<typeof resolveTrainingConfig>[0]);
    expect(autoRunName(child, 'Fashion-MNIST (test set)', parent)).toBe('quick · Fashion-MNIST · hinge loss');
  });

  it('keeps names short: three changes, then a count', () => {
    const many = config({ preset: 'tiny', latentDim: 8, batchSize: 4, epochs: 2, dropout: 0.1, filterScale: 2 });
    expect(autoRunName(many, 'd')).toMatch(/ · \+2 more$/);
  });

  it('lists changed settings only', () => {
    expect(describeChanges(config({ preset: 'tiny' }), config({ preset: 'tiny', seed: 1 }))).toEqual([]);
    expect(describeChanges(config({ preset: 'tiny', generatorLearningRate: 0.0037 }), config({ preset: 'tiny' }))).toEqual(['G lr 0.0037']);
  });
});

describe('safeFileName', () => {
  it('keeps letters and digits of any script and drops what file systems refuse', () => {
    expect(safeFileName('quick · Fashion-MNIST · hinge loss')).toBe('quick-Fashion-MNIST-hinge-loss');
    expect(safeFileName('G β₁ 0.5 / D: "x"?')).toBe('G-β1-0.5-D-x');
    expect(safeFileName('../../etc/passwd')).toBe('etc-passwd');
    expect(safeFileName('CON')).toBe('CON_');
    expect(safeFileName('···')).toBe('run');
    expect(safeFileName('a'.repeat(300)).length).toBe(80);
  });
});
