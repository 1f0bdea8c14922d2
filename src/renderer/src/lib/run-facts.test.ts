import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../../shared/config';
import { runFacts } from './run-facts';

describe('runFacts', () => {
  it('puts " · " between every fact, the recipes included ("seed 17048453· EMA" read as one word)', () => {
    expect(runFacts('Fashion-MNIST (test set)', resolveTrainingConfig({ preset: 'quick', seed: 17048453 }))).toBe(
      'quick · Fashion-MNIST (test set) · batch 64 · seed 17048453 · EMA generator 0.99',
    );
    expect(runFacts('shapes', resolveTrainingConfig({ preset: 'tiny', seed: 1 }))).toBe('tiny · shapes · batch 32 · seed 1');
  });
});
