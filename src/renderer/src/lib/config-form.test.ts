import { describe, expect, it } from 'vitest';
import { FIELDS, presetPlaceholders, validateForm, valuesFromConfig } from './config-form';

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
    expect(result).toEqual({ ok: false, errors: { latentDim: 'Latent size must be a number; “1e” is not one.' } });
  });

  it('speaks words, not schema text, for every rule a field can break', () => {
    const result = validateForm('tiny', { batchSize: '2.5', epochs: '-8', generatorBeta1: '1', dropout: '0.99', generatorLearningRate: '0', gridRows: '17' });
    expect(result).toEqual({
      ok: false,
      errors: {
        batchSize: 'Batch size must be a whole number.',
        epochs: 'Epochs must be at least 1.',
        generatorBeta1: 'G β₁ must be less than 1.',
        dropout: 'Dropout must be at most 0.95.',
        generatorLearningRate: 'G learning rate must be more than 0.',
        gridRows: 'Grid rows must be at most 16.',
      },
    });
  });

  it('refuses a batch larger than the dataset before Start, typed or the preset’s', () => {
    expect(validateForm('tiny', { batchSize: '64' }, { datasetCount: 50 })).toEqual({
      ok: false,
      errors: { batchSize: 'Batch size 64 is larger than the dataset (50 images): use 50 or less.' },
    });
    expect(validateForm('tiny', {}, { datasetCount: 10, presetBatchSize: 32 })).toEqual({
      ok: false,
      errors: { batchSize: 'The preset’s batch size (32) is larger than the dataset (10 images): use 10 or less.' },
    });
    expect(validateForm('tiny', { batchSize: '50' }, { datasetCount: 50 }).ok).toBe(true);
  });

  it('round-trips a stored config into form text', () => {
    const values = valuesFromConfig({ preset: 'tiny', epochs: 3, generatorLearningRate: 0.0002, earlySampleSteps: [1] });
    expect(values).toEqual({ epochs: '3', generatorLearningRate: '0.0002', earlySampleSteps: '1' });
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

  it('shows what a blank field means for the chosen preset, as the server resolves it', () => {
    const quick = presetPlaceholders('quick');
    expect(quick).toMatchObject({ epochs: '8', batchSize: '64', seed: 'random', emaDecay: '0.99', loss: 'bce', diffAugment: 'off', spectralNorm: 'off', dropout: 'preset', earlySampleSteps: '1, 10, 50', scoreEvery: '1' });
    expect(presetPlaceholders('dcgan-64')).toMatchObject({ emaDecay: 'off', scoreEvery: '0' });
  });

  it('reads the sample-grid steps and scoring settings the form now offers', () => {
    expect(validateForm('tiny', { earlySampleSteps: '5, 20', scoreEvery: '0', scoreSampleSize: '200' })).toEqual({
      ok: true,
      config: { preset: 'tiny', earlySampleSteps: [5, 20], scoreEvery: 0, scoreSampleSize: 200 },
    });
    expect(validateForm('tiny', { earlySampleSteps: 'none' })).toMatchObject({ ok: true, config: { earlySampleSteps: [] } });
    expect(validateForm('tiny', { earlySampleSteps: '5, x' })).toEqual({ ok: false, errors: { earlySampleSteps: 'Early sample steps must be whole numbers separated by commas (or none); “5, x” is not one.' } });
    expect(validateForm('tiny', { earlySampleSteps: '2.5' })).toEqual({ ok: false, errors: { earlySampleSteps: 'Early sample steps must be a whole number.' } });
  });
});
