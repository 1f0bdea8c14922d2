import { describe, expect, it } from 'vitest';
import { trainingConfigInputSchema } from '../shared/config';
import { describeHyperParameterError } from './config-errors';

function messageFor(input: Record<string, unknown>): string {
  const parsed = trainingConfigInputSchema.safeParse(input);
  if (parsed.success) throw new Error('expected the input to be refused');
  return describeHyperParameterError(parsed.error);
}

describe('describeHyperParameterError', () => {
  it('names the CLI flag and the config field', () => {
    expect(messageFor({ generatorLearningRate: -1 })).toMatch(/^--g-lr \(generatorLearningRate\) must be more than 0\.$/);
  });

  it('keeps one line per field, the tightest bound', () => {
    const seed = messageFor({ seed: 1e30 });
    expect(seed.split('\n')).toHaveLength(1);
    expect(seed).toContain('2,147,483,647');
    const both = messageFor({ dropout: 1.5, batchSize: 0 });
    expect(both.split('\n')).toHaveLength(2);
    expect(both).toMatch(/--dropout \(dropout\) must be at most 0\.95\./);
    expect(both).toContain('--batch-size (batchSize)');
  });
});
