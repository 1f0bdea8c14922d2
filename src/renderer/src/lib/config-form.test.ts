import { describe, expect, it } from 'vitest';
import { validateForm, valuesFromConfig } from './config-form';

describe('validateForm', () => {
  it('accepts blank fields (preset defaults) and typed numbers', () => {
    const result = validateForm('tiny', { epochs: '2', batchSize: ' 16 ', seed: '' });
    expect(result).toEqual({ ok: true, config: { preset: 'tiny', epochs: 2, batchSize: 16 } });
  });

  it('names the field the shared schema refuses', () => {
    const result = validateForm('tiny', { epochs: '0', generatorBeta1: '1', batchSize: '2.5' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['batchSize', 'epochs', 'generatorBeta1']);
  });

  it('says what it expected for text that is not a number', () => {
    const result = validateForm('tiny', { latentDim: '1e' });
    expect(result).toEqual({ ok: false, errors: { latentDim: 'expected a number, got “1e”' } });
  });

  it('round-trips a stored config into form text', () => {
    const values = valuesFromConfig({ preset: 'tiny', epochs: 3, generatorLearningRate: 0.0002, earlySampleSteps: [1] });
    expect(values).toEqual({ epochs: '3', generatorLearningRate: '0.0002' });
    expect(validateForm('tiny', values).ok).toBe(true);
  });
});
