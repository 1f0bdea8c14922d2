/**
 * `gan-studio summary`: prints a preset's generator and discriminator as the
 * Keras-style table (layer, output shape, params; totals).
 */
import * as tf from '@tensorflow/tfjs';
import { parseCliArgs } from '../parse-args';
import { z } from 'zod';
import { resolveTrainingConfig } from '../../shared/config';
import { describeHyperParameterError } from '../config-errors';
import { PRESET_NAMES } from '../../shared/presets';
import type { PresetName } from '../../shared/presets';
import { PRESETS } from '../../shared/preset-catalog';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';
import { buildDiscriminator, buildGenerator, formatSummary, summarizeModel } from '../../main/training/models/index';

export const help = `Usage: gan-studio summary --preset NAME [--latent-dim N] [--filter-scale X]

Print the generator and discriminator of a model preset as Keras prints them:
each layer with its output shape and parameter count, then total / trainable /
non-trainable parameters.

Options:
  --preset NAME       One of: ${PRESET_NAMES.join(', ')}
  --latent-dim N      Noise vector size (default: the preset's)
  --filter-scale X    Multiply every conv filter count (default 1)
  -h, --help          Show this help

Exit codes: 0 printed, 2 bad arguments.`;

/** Runs the command; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  const config = resolveConfig(options);
  const preset = PRESETS[config.preset];
  // Building models touches tfjs's cpu backend, whose "install tfjs-node" banner would clutter the table.
  tf.env().set('PROD', true);
  console.log(`Preset: ${preset.name} — ${preset.title} (${preset.imageSize}×${preset.imageSize}×${preset.channels}, latent ${config.latentDim})\n`);
  for (const build of [buildGenerator, buildDiscriminator]) {
    const model = build(config);
    try {
      console.log(formatSummary(summarizeModel(model)) + '\n');
    } finally {
      model.dispose();
    }
  }
  return EXIT.ok;
}

interface SummaryOptions {
  preset: PresetName;
  latentDim?: number;
  filterScale?: number;
}

function parseOptions(argv: string[]): SummaryOptions {
  let values: { preset?: string; 'latent-dim'?: string; 'filter-scale'?: string };
  try {
    ({ values } = parseCliArgs({
      args: argv,
      options: { preset: { type: 'string' }, 'latent-dim': { type: 'string' }, 'filter-scale': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage, 'Run "gan-studio summary --help" for the options.');
  }
  return {
    preset: presetName(values.preset),
    latentDim: values['latent-dim'] === undefined ? undefined : number('--latent-dim', values['latent-dim'], true),
    filterScale: values['filter-scale'] === undefined ? undefined : number('--filter-scale', values['filter-scale'], false),
  };
}

function presetName(value: string | undefined): PresetName {
  const valid = `Valid presets: ${PRESET_NAMES.join(', ')}.`;
  if (value === undefined) throw new CliError(`Expected --preset NAME, got none. ${valid}`, EXIT.usage);
  if (!(PRESET_NAMES as readonly string[]).includes(value)) {
    throw new CliError(`Unknown preset "${value}". ${valid}`, EXIT.usage);
  }
  return value as PresetName;
}

function number(flag: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new CliError(`${flag}: expected ${integer ? 'an integer' : 'a number'}, got "${text}".`, EXIT.usage);
  }
  return value;
}

function resolveConfig(options: SummaryOptions) {
  try {
    // The seed only affects initial weights, which a summary does not show.
    return resolveTrainingConfig({ ...options, seed: 0 });
  } catch (error) {
    if (error instanceof z.ZodError) {
      throw new CliError(describeHyperParameterError(error), EXIT.usage, 'Run "gan-studio summary --help" for the allowed values.');
    }
    throw error;
  }
}
