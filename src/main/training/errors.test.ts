import { describe, expect, it } from 'vitest';
import { DatasetError } from '../data';
import { classifyFailure, TrainingError } from './errors';

describe('classifyFailure', () => {
  it('keeps a TrainingError kind and message', () => {
    expect(classifyFailure(new TrainingError('nan', 'diverged at step 3'))).toMatchObject({ kind: 'nan', error: { message: 'diverged at step 3' } });
  });

  it('treats input errors of other modules as bad-input, hint included', () => {
    const failure = classifyFailure(new DatasetError('The cached dataset is damaged.', 'Import the dataset again.'));
    expect(failure).toMatchObject({ kind: 'bad-input', error: { name: 'DatasetError', message: 'The cached dataset is damaged. Import the dataset again.' } });
  });

  it('recognises allocation failures as out-of-memory with advice', () => {
    const failure = classifyFailure(new RangeError('Array buffer allocation failed'));
    expect(failure.kind).toBe('out-of-memory');
    expect(failure.error.message).toMatch(/smaller batch size/);
  });

  it('reports anything else as error with its stack, even non-Error values', () => {
    expect(classifyFailure(new Error('boom'))).toMatchObject({ kind: 'error', error: { message: 'boom', stack: expect.stringContaining('boom') } });
    expect(classifyFailure('plain string')).toMatchObject({ kind: 'error', error: { message: 'plain string' } });
  });
});
