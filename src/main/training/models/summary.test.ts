import { afterAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../../shared/config';
import { buildDiscriminator, buildGenerator } from './build';
import { formatSummary, summarizeModel } from './summary';

describe('summarizeModel', () => {
  const generator = buildGenerator(resolveTrainingConfig({ preset: 'seed-model-one', seed: 1 }));
  const discriminator = buildDiscriminator(resolveTrainingConfig({ preset: 'tiny', seed: 1 }));
  afterAll(() => {
    generator.dispose();
    discriminator.dispose();
  });

  it('lists every layer with Keras names, classes, shapes and params', () => {
    const summary = summarizeModel(generator);
    expect(summary.name).toBe('generator');
    expect(summary.rows.slice(0, 5)).toEqual([
      { name: 'dense', className: 'Dense', outputShape: [null, 16384], params: 1_638_400 },
      { name: 'batch_normalization', className: 'BatchNormalization', outputShape: [null, 16384], params: 65_536 },
      { name: 'leaky_re_lu', className: 'LeakyReLU', outputShape: [null, 16384], params: 0 },
      { name: 'reshape', className: 'Reshape', outputShape: [null, 8, 8, 256], params: 0 },
      { name: 'conv2d_transpose', className: 'Conv2DTranspose', outputShape: [null, 8, 8, 128], params: 819_200 },
    ]);
    expect(summary.rows.reduce((sum, row) => sum + row.params, 0)).toBe(summary.totalParams);
  });

  it('prints the Keras table with thousands separators', () => {
    const text = formatSummary(summarizeModel(generator));
    const lines = text.split('\n');
    expect(lines[0]).toBe('Model: "generator"');
    expect(lines[2]).toMatch(/^ Layer \(type\) +Output Shape +Param #$/);
    expect(text).toMatch(/^ dense \(Dense\) +\(None, 16384\) +1,638,400$/m);
    expect(text).toMatch(/^ conv2d_transpose_2 \(Conv2DTranspose\) +\(None, 32, 32, 3\) +4,800$/m);
    expect(text).toContain('Total params: 2,733,504\nTrainable params: 2,700,352\nNon-trainable params: 33,152');
  });

  it('aligns columns: every row starts its shape at the same offset', () => {
    const rows = formatSummary(summarizeModel(discriminator)).split('\n').filter((line) => line.includes('(None'));
    const offsets = new Set(rows.map((row) => row.indexOf('(None')));
    expect(rows.length).toBe(summarizeModel(discriminator).rows.length);
    expect(offsets.size).toBe(1);
  });
});
