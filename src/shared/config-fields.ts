/**
 * Every training-config field once, with its human label, its `train` flag
 * and a one-line description: the New run form, the "What differs" config
 * diff (Compare, evidence) and `gan-studio train --help` all read this list,
 * so a new field is described in one place.
 */
import type { TrainingConfig } from './config';
import { DIFF_AUGMENT_OPS, LOSS_NAMES } from './recipes';

export type ConfigFieldGroup = 'Model' | 'Training' | 'Optimizers' | 'Recipes' | 'Samples' | 'Run';

export interface ConfigField {
  key: keyof TrainingConfig;
  /** What people call it (form label, diff row). */
  label: string;
  group: ConfigFieldGroup;
  /** The `gan-studio train` flag that sets it, and its value's placeholder (none for a switch). */
  flag?: string;
  value?: string;
  /** One line: what it does. */
  help: string;
}

export const CONFIG_FIELDS: readonly ConfigField[] = [
  { key: 'preset', label: 'Preset', group: 'Model', flag: '--preset', value: 'NAME', help: 'model and defaults' },
  { key: 'latentDim', label: 'Latent size', group: 'Model', flag: '--latent-dim', value: 'N', help: 'length of the noise vector z' },
  { key: 'filterScale', label: 'Filter scale', group: 'Model', flag: '--filter-scale', value: 'X', help: 'multiplies every conv filter count' },
  { key: 'dropout', label: 'Dropout', group: 'Model', flag: '--dropout', value: 'X', help: "rate of every Dropout layer (discriminator)" },
  { key: 'leakyReluAlpha', label: 'LeakyReLU α', group: 'Model', flag: '--leaky-alpha', value: 'X', help: 'slope of every LeakyReLU' },
  { key: 'batchNormMomentum', label: 'BatchNorm momentum', group: 'Model', flag: '--bn-momentum', value: 'X', help: 'momentum of every BatchNorm layer' },
  { key: 'epochs', label: 'Epochs', group: 'Training', flag: '--epochs', value: 'N', help: 'passes over the dataset' },
  { key: 'batchSize', label: 'Batch size', group: 'Training', flag: '--batch-size', value: 'N', help: 'images per step' },
  { key: 'seed', label: 'Seed', group: 'Training', flag: '--seed', value: 'N', help: 'makes a run reproducible (default: random)' },
  { key: 'checkpointEvery', label: 'Checkpoint every (epochs)', group: 'Training', flag: '--checkpoint-every', value: 'N', help: 'epochs between checkpoints' },
  { key: 'generatorLearningRate', label: 'G learning rate', group: 'Optimizers', flag: '--g-lr', value: 'X', help: "generator's Adam learning rate" },
  { key: 'generatorBeta1', label: 'G β₁', group: 'Optimizers', flag: '--g-beta1', value: 'X', help: "generator's Adam β₁" },
  { key: 'discriminatorLearningRate', label: 'D learning rate', group: 'Optimizers', flag: '--d-lr', value: 'X', help: "discriminator's Adam learning rate (a different one from G's is TTUR)" },
  { key: 'discriminatorBeta1', label: 'D β₁', group: 'Optimizers', flag: '--d-beta1', value: 'X', help: "discriminator's Adam β₁" },
  { key: 'loss', label: 'Loss', group: 'Recipes', flag: '--loss', value: LOSS_NAMES.join('|'), help: 'adversarial loss (default bce, the tutorial’s)' },
  { key: 'labelSmoothing', label: 'Label smoothing', group: 'Recipes', flag: '--label-smoothing', value: 'X', help: 'one-sided: real images’ target is 1 − X (e.g. 0.1)' },
  { key: 'instanceNoise', label: 'Instance noise', group: 'Recipes', flag: '--instance-noise', value: 'X', help: 'std of noise on D’s inputs, annealed to 0 (e.g. 0.1)' },
  { key: 'diffAugment', label: 'DiffAugment', group: 'Recipes', flag: '--diffaugment', value: DIFF_AUGMENT_OPS.join(','), help: 'augment real and fake alike (for small datasets)' },
  { key: 'emaDecay', label: 'EMA generator', group: 'Recipes', flag: '--ema', value: 'DECAY', help: 'samples from an average of G’s weights (e.g. 0.999; 0 = off)' },
  { key: 'spectralNorm', label: 'Spectral norm (D)', group: 'Recipes', flag: '--spectral-norm', help: 'normalise D’s weights by their largest singular value' },
  { key: 'r1Gamma', label: 'R1 penalty γ', group: 'Recipes', flag: '--r1', value: 'GAMMA', help: 'penalise D’s gradient on real images (e.g. 10)' },
  { key: 'scoreEvery', label: 'Score every (epochs)', group: 'Training', help: 'quality scores every N epochs (0 = off)' },
  { key: 'scoreSampleSize', label: 'Score sample size', group: 'Training', help: 'generated images per scoring' },
  { key: 'gridRows', label: 'Grid rows', group: 'Samples', help: 'rows of the sample grid' },
  { key: 'gridCols', label: 'Grid columns', group: 'Samples', help: 'columns of the sample grid' },
  { key: 'earlySampleSteps', label: 'Early sample steps', group: 'Samples', help: 'steps after which an extra grid is drawn' },
  { key: 'backend', label: 'Backend', group: 'Run', flag: '--backend', value: 'NAME', help: 'force a compute backend' },
];

const BY_KEY = new Map<string, ConfigField>(CONFIG_FIELDS.map((field) => [field.key, field]));

/** The field's human label; an unknown key (a newer run's) is shown as is. */
export function configFieldLabel(key: string): string {
  return BY_KEY.get(key)?.label ?? key;
}

/** The field's description, if it is a config field. */
export function configField(key: string): ConfigField | undefined {
  return BY_KEY.get(key);
}

/** What an absent recipe means, for display (every other absent field is the preset's default). */
const ABSENT: Partial<Record<keyof TrainingConfig, string>> = {
  loss: 'bce',
  labelSmoothing: 'off',
  instanceNoise: 'off',
  diffAugment: 'off',
  emaDecay: 'off',
  spectralNorm: 'off',
  r1Gamma: 'off',
};

/** A config value as people read it: lists joined, switches on/off, absent recipes "off". */
export function formatConfigValue(key: string, value: unknown): string {
  if (value === undefined || value === null) return ABSENT[key as keyof TrainingConfig] ?? '(default)';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (Array.isArray(value)) return value.length === 0 ? (ABSENT[key as keyof TrainingConfig] ?? '—') : value.join(', ');
  return String(value);
}

/** The recipes a config switches on, as "Loss hinge, EMA generator 0.999"; "none" for the tutorial's step. */
export function describeRecipes(config: Partial<TrainingConfig>): string {
  const on = CONFIG_FIELDS.filter((field) => field.group === 'Recipes').flatMap((field) => {
    const value = config[field.key];
    const shown = formatConfigValue(field.key, value);
    if (value === undefined || shown === 'off' || shown === '—' || value === 0) return [];
    return [value === true ? field.label : `${field.label} ${shown}`];
  });
  return on.length > 0 ? on.join(', ') : 'none';
}
