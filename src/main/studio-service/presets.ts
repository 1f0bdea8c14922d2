/**
 * Preset catalogue for the UI: each preset with the Keras-style summaries of
 * its generator and discriminator. Building the models is the only way to
 * get exact shapes and parameter counts, so it is done once and cached.
 */
import type { ModelSummaries, PresetInfo } from '../../shared/api';
import { resolveTrainingConfig, type TrainingConfig, type TrainingConfigInput } from '../../shared/config';
import { PRESETS } from '../../shared/preset-catalog';
import { PRESET_NAMES } from '../../shared/presets';
import { buildDiscriminator, buildGenerator, summarizeModel } from '../training/models';

let cached: Promise<PresetInfo[]> | undefined;

/** Every preset with its model summaries (computed on first call). */
export function listPresetInfos(): Promise<PresetInfo[]> {
  cached ??= Promise.resolve().then(() =>
    PRESET_NAMES.map((name) => ({ preset: PRESETS[name], ...summarizeConfig(resolveTrainingConfig({ preset: name, seed: 0 })) })),
  );
  cached.catch(() => (cached = undefined));
  return cached;
}

/** Summaries of the models a config (preset plus overrides: latent size, filter scale…) trains. */
export function summarizeConfig(config: TrainingConfig): ModelSummaries {
  const generator = buildGenerator(config);
  const discriminator = buildDiscriminator(config);
  try {
    return { generator: summarizeModel(generator), discriminator: summarizeModel(discriminator) };
  } finally {
    // Summaries are plain data; the weights are not needed and would leak.
    generator.dispose();
    discriminator.dispose();
  }
}

const recent = new Map<string, ModelSummaries>();
const RECENT_MAX = 16;

/**
 * What the New-run form shows while the user types: the summaries of the
 * config as it will train. Only the fields that shape the models matter, so
 * those form the cache key (the form asks again on every keystroke).
 */
export function summarizeConfigInput(input: TrainingConfigInput): ModelSummaries {
  const config = resolveTrainingConfig({ ...input, seed: 0 });
  const { preset, latentDim, filterScale, batchNormMomentum, leakyReluAlpha, dropout } = config;
  const key = JSON.stringify([preset, latentDim, filterScale, batchNormMomentum, leakyReluAlpha, dropout]);
  let summaries = recent.get(key);
  if (!summaries) {
    summaries = summarizeConfig(config);
    if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value as string);
    recent.set(key, summaries);
  }
  return summaries;
}
