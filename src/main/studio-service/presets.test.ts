import { describe, expect, it } from 'vitest';
import { listPresetInfos, summarizeConfigInput } from './presets';

describe('summarizeConfigInput', () => {
  it('counts the parameters of the models a config trains, overrides included', async () => {
    const tiny = (await listPresetInfos()).find((p) => p.preset.name === 'tiny')!;
    const same = summarizeConfigInput({ preset: 'tiny' });
    expect(same.generator.totalParams).toBe(tiny.generator.totalParams);

    // tiny's generator opens with Dense(4·4·16 = 256, no bias): latent 16 → 4,096 weights, latent 64 → 16,384.
    const latent64 = summarizeConfigInput({ preset: 'tiny', latentDim: 64 });
    expect(latent64.generator.rows[0]!.params).toBe(64 * 256);
    expect(latent64.generator.totalParams - tiny.generator.totalParams).toBe((64 - 16) * 256);
    expect(latent64.discriminator.totalParams).toBe(tiny.discriminator.totalParams);

    const wider = summarizeConfigInput({ preset: 'tiny', filterScale: 2 });
    expect(wider.generator.totalParams).toBeGreaterThan(tiny.generator.totalParams);
    expect(wider.discriminator.totalParams).toBeGreaterThan(tiny.discriminator.totalParams);
  });

  it('answers a repeated config from its cache (the form asks on every keystroke)', () => {
    expect(summarizeConfigInput({ preset: 'tiny', latentDim: 32, epochs: 3 })).toBe(summarizeConfigInput({ preset: 'tiny', latentDim: 32, epochs: 9 }));
  });
});
