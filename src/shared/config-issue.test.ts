import { describe, expect, it } from 'vitest';
import { trainingConfigInputSchema } from './config';
import { configIssueLines } from './config-issue';

const linesFor = (input: Record<string, unknown>, name?: (key: string) => string): string[] => {
  const parsed = trainingConfigInputSchema.safeParse(input);
  if (parsed.success) throw new Error('expected the input to be refused');
  return configIssueLines(parsed.error, name);
};

describe('configIssueLines', () => {
  it('says the rule a setting broke in words, never zod’s text', () => {
    expect(linesFor({ epochs: 1.5 })).toEqual(['Epochs must be a whole number.']);
    // A whole-number field's "> 0" reads "at least 1"; a real-valued one's stays "more than 0".
    expect(linesFor({ epochs: 0 })).toEqual(['Epochs must be at least 1.']);
    expect(linesFor({ generatorLearningRate: 0 })).toEqual([expect.stringMatching(/ must be more than 0\.$/)]);
    expect(linesFor({ dropout: 1.5 })).toEqual([expect.stringMatching(/ must be at most 0\.95\.$/)]);
    expect(linesFor({ loss: 'nope' })[0]).toMatch(/ must be one of bce, .*hinge/);
    expect(linesFor({ epochs: 'ten' })).toEqual(['Epochs must be a number.']);
  });

  it('keeps one line per field (the tightest bound) and names fields as the caller does', () => {
    const seed = linesFor({ seed: 1e30 }, (key) => `--${key}`);
    expect(seed).toEqual(['--seed must be at most 2,147,483,647.']);
    expect(linesFor({ dropout: 1.5, batchSize: 0 })).toHaveLength(2);
  });

  it('names an error of one field’s own schema (no path) by the field it is given', () => {
    const parsed = trainingConfigInputSchema.shape.epochs.unwrap().safeParse(0);
    expect(parsed.success).toBe(false);
    expect(configIssueLines(parsed.error!, () => 'the length', 'epochs')).toEqual(['the length must be at least 1.']);
    expect(configIssueLines(parsed.error!, () => 'the length')).toEqual(['the length must be more than 0.']);
  });
});
