import { describe, expect, it } from 'vitest';
import { FIELDS, validateForm, valuesFromConfig } from './config-form';

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

  it('reads recipes: a loss choice, DiffAugment flags, a switch and numbers; refuses hinge with smoothing', () => {
    const result = validateForm('tiny', { loss: 'hinge', diffAugment: 'color,cutout', spectralNorm: 'on', emaDecay: '0.99', r1Gamma: '10' });
    expect(result).toEqual({
      ok: true,
      config: { preset: 'tiny', loss: 'hinge', diffAugment: ['color', 'cutout'], spectralNorm: true, emaDecay: 0.99, r1Gamma: 10 },
    });
    const refused = validateForm('tiny', { loss: 'hinge', labelSmoothing: '0.1' });
    expect(refused.ok === false && refused.errors.labelSmoothing).toMatch(/hinge has no targets/);
    // Switching off a preset's recipe is explicit.
    expect(validateForm('quick', { diffAugment: 'none', spectralNorm: 'off' })).toMatchObject({ ok: true, config: { diffAugment: [], spectralNorm: false } });
  });

  it('round-trips stored recipes into form text', () => {
    const values = valuesFromConfig({ preset: 'quick', loss: 'least-squares', diffAugment: ['translation'], spectralNorm: true, emaDecay: 0 });
    expect(values).toEqual({ loss: 'least-squares', diffAugment: 'translation', spectralNorm: 'on', emaDecay: '0' });
    expect(validateForm('quick', values).ok).toBe(true);
  });

  it('labels every field from the shared list (no raw keys such as discriminatorBeta1)', () => {
    for (const field of FIELDS) expect(field.label).not.toBe(field.key);
  });
});
