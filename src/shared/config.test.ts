/** Recipes in the config: absent = off, so the seed presets resolve exactly as before. */
import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS, describeRecipes, formatConfigValue } from './config-fields';
import { resolveTrainingConfig, trainingConfigInputSchema, trainingConfigSchema } from './config';
import { PRESET_NAMES } from './presets';

const RECIPE_KEYS = ['loss', 'labelSmoothing', 'instanceNoise', 'diffAugment', 'emaDecay', 'spectralNorm', 'r1Gamma'];

describe('recipes in the training config', () => {
  it('a seed preset resolves with no recipe field at all (the tutorial step)', () => {
    for (const preset of ['tf-tutorial', 'seed-model-one', 'seed-model-four', 'dcgan-64', 'tiny'] as const) {
      const config = resolveTrainingConfig({ preset, seed: 1 });
      expect(Object.keys(config).filter((key) => RECIPE_KEYS.includes(key))).toEqual([]);
    }
  });

  it('"off" values are dropped for seed presets, kept where the preset switches the recipe on', () => {
    const off = { loss: 'bce' as const, labelSmoothing: 0, instanceNoise: 0, diffAugment: [], emaDecay: 0, spectralNorm: false, r1Gamma: 0 };
    expect(Object.keys(resolveTrainingConfig({ preset: 'tiny', seed: 1, ...off })).filter((key) => RECIPE_KEYS.includes(key))).toEqual([]);
    const quick = resolveTrainingConfig({ preset: 'quick', seed: 1, emaDecay: 0 });
    expect(quick.emaDecay).toBe(0);
    // Resolving again keeps it off instead of falling back to the preset's EMA.
    expect(resolveTrainingConfig(quick).emaDecay).toBe(0);
    expect(resolveTrainingConfig({ preset: 'quick', seed: 1 }).emaDecay).toBeGreaterThan(0);
  });

  it('orders DiffAugment ops canonically and refuses repeats, unknown ops and hinge + smoothing', () => {
    expect(resolveTrainingConfig({ preset: 'tiny', diffAugment: ['cutout', 'color'] }).diffAugment).toEqual(['color', 'cutout']);
    expect(trainingConfigInputSchema.safeParse({ diffAugment: ['color', 'color'] }).success).toBe(false);
    expect(trainingConfigInputSchema.safeParse({ diffAugment: ['zoom'] }).success).toBe(false);
    expect(trainingConfigInputSchema.safeParse({ loss: 'hinge', labelSmoothing: 0.1 }).success).toBe(false);
    expect(trainingConfigSchema.safeParse({ ...resolveTrainingConfig({ preset: 'tiny', seed: 1 }), emaDecay: 1 }).success).toBe(false);
  });

  it('every config field has one entry in the shared field list, and absent recipes read "off"', () => {
    const keys = Object.keys(trainingConfigSchema.shape).sort();
    expect(CONFIG_FIELDS.map((field) => field.key).sort()).toEqual(keys);
    expect(formatConfigValue('emaDecay', undefined)).toBe('off');
    expect(formatConfigValue('loss', undefined)).toBe('bce');
    expect(formatConfigValue('spectralNorm', true)).toBe('on');
    expect(formatConfigValue('diffAugment', ['color', 'cutout'])).toBe('color, cutout');
    expect(PRESET_NAMES).toContain('quick');
    expect(describeRecipes(resolveTrainingConfig({ preset: 'tiny', seed: 1 }))).toBe('none');
    expect(describeRecipes(resolveTrainingConfig({ preset: 'quick', seed: 1, loss: 'hinge', spectralNorm: true, emaDecay: 0 }))).toBe('Loss hinge, Spectral norm (D)');
  });
});
