/**
 * Preset catalogue for the UI: each preset with the Keras-style summaries of
 * its generator and discriminator. Building the models is the only way to
 * get exact shapes and parameter counts, so it is done once and cached.
 */
import type { PresetInfo } from '../../shared/api';
import { resolveTrainingConfig } from '../../shared/config';
import { PRESETS } from '../../shared/preset-catalog';
import { PRESET_NAMES } from '../../shared/presets';
import { buildDiscriminator, buildGenerator, summarizeModel } from '../training/models';

let cached: Promise<PresetInfo[]> | undefined;

/** Every preset with its model summaries (computed on first call). */
export function listPresetInfos(): Promise<PresetInfo[]> {
  cached ??= Promise.resolve().then(() =>
    PRESET_NAMES.map((name) => {
      const config = resolveTrainingConfig({ preset: name, seed: 0 });
      const generator = buildGenerator(config);
      const discriminator = buildDiscriminator(config);
      try {
        return { preset: PRESETS[name], generator: summarizeModel(generator), discriminator: summarizeModel(discriminator) };
      } finally {
        // Summaries are plain data; the weights are not needed and would leak.
        generator.dispose();
        discriminator.dispose();
      }
    }),
  );
  cached.catch(() => (cached = undefined));
  return cached;
}
