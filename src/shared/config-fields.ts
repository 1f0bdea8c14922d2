/**
 * Every training-config field once: its label, group, kind of value, `train`
 * flag and help line, how a change reads in a run name, and — for a recipe —
 * the value that means "off". The CLI's flags, help and messages
 * (src/cli/config-flags.ts), the New run form (renderer lib/config-form.ts),
 * run names (run-name.ts), "What differs" (Compare, evidence) and which
 * recipes a config leaves out (config.ts) all read this list, so a new
 * setting is its zod field in config.ts, one entry here, and the code that
 * uses it. Text ⇄ value for each kind lives in config-field-text.ts.
 */
import type { TrainingConfig } from './config';
import { BACKEND_NAMES } from './backends';
import { PRESET_NAMES } from './presets';
import { DIFF_AUGMENT_OPS, LOSS_NAMES } from './recipes';
import { plural } from './plural';

/** Where a field sits in help and the form; `Run` fields (preset, backend) have pickers of their own in the form. */
export type ConfigFieldGroup = 'Run' | 'Training' | 'Optimizers' | 'Model' | 'Recipes' | 'Samples';

/**
 * How a value is written as text (a flag's value, a form field): `integer` and `number`;
 * `choice`: one of `options`; `flags`: a comma-separated subset of `options` ("none" = none);
 * `steps`: comma-separated whole numbers ("none" = none); `switch`: on or off (a bare flag on
 * the CLI, `--no-<flag>` for off).
 */
export type ConfigFieldKind = 'integer' | 'number' | 'choice' | 'flags' | 'steps' | 'switch';

/** A recipe's "off" value: absent means off, and an explicit off switches off a preset's default. */
export type RecipeOff = number | boolean | string | readonly [];

export interface ConfigField {
  key: keyof TrainingConfig;
  /** What people call it (form label, diff row). */
  label: string;
  group: ConfigFieldGroup;
  kind: ConfigFieldKind;
  /** For choice and flags: the values it takes. */
  options?: readonly string[];
  /** The `gan-studio train` flag that sets it. */
  flag: `--${string}`;
  /** The flag value's placeholder in help (N, X, a|b, …); none for a switch. */
  value?: string;
  /** One line: what it does. */
  help: string;
  /** How a changed value reads in a run name ("hinge loss"); absent: not named (it says nothing about the experiment). */
  phrase?: (shown: string) => string;
  /** Recipes only: the value that means off. */
  off?: RecipeOff;
}

export const CONFIG_FIELDS: readonly ConfigField[] = [
  { key: 'preset', label: 'Preset', group: 'Run', kind: 'choice', options: PRESET_NAMES, flag: '--preset', value: 'NAME', help: `model and its defaults: ${PRESET_NAMES.join(', ')} (default: quick)` },
  { key: 'backend', label: 'Backend', group: 'Run', kind: 'choice', options: BACKEND_NAMES, flag: '--backend', value: 'NAME', help: `force ${BACKEND_NAMES.join(', ')} (or env GAN_STUDIO_BACKEND; default: the fastest that loads)` },
  { key: 'epochs', label: 'Epochs', group: 'Training', kind: 'integer', flag: '--epochs', help: 'passes over the dataset', phrase: (v) => plural(Number(v), 'epoch') },
  { key: 'batchSize', label: 'Batch size', group: 'Training', kind: 'integer', flag: '--batch-size', help: 'images per step', phrase: (v) => `batch ${v}` },
  { key: 'seed', label: 'Seed', group: 'Training', kind: 'integer', flag: '--seed', help: 'makes a run reproducible (default: random)' },
  { key: 'checkpointEvery', label: 'Checkpoint every (epochs)', group: 'Training', kind: 'integer', flag: '--checkpoint-every', help: 'epochs between checkpoints (and always at the end and on stop)' },
  { key: 'scoreEvery', label: 'Score every (epochs)', group: 'Training', kind: 'integer', flag: '--score-every', help: 'quality scores every N epochs (0 = off; default 1 up to 32×32 images, else 0)' },
  { key: 'scoreSampleSize', label: 'Score sample size', group: 'Training', kind: 'integer', flag: '--score-samples', help: 'generated images per scoring' },
  { key: 'generatorLearningRate', label: 'G learning rate', group: 'Optimizers', kind: 'number', flag: '--g-lr', help: "generator's Adam learning rate", phrase: (v) => `G lr ${v}` },
  { key: 'generatorBeta1', label: 'G β₁', group: 'Optimizers', kind: 'number', flag: '--g-beta1', help: "generator's Adam β₁", phrase: (v) => `G β₁ ${v}` },
  { key: 'discriminatorLearningRate', label: 'D learning rate', group: 'Optimizers', kind: 'number', flag: '--d-lr', help: "discriminator's Adam learning rate (a different one from G's is TTUR)", phrase: (v) => `D lr ${v}` },
  { key: 'discriminatorBeta1', label: 'D β₁', group: 'Optimizers', kind: 'number', flag: '--d-beta1', help: "discriminator's Adam β₁", phrase: (v) => `D β₁ ${v}` },
  { key: 'latentDim', label: 'Latent size', group: 'Model', kind: 'integer', flag: '--latent-dim', help: 'length of the noise vector z', phrase: (v) => `latent ${v}` },
  { key: 'filterScale', label: 'Filter scale', group: 'Model', kind: 'number', flag: '--filter-scale', help: 'multiplies every conv filter count', phrase: (v) => `filters ×${v}` },
  { key: 'dropout', label: 'Dropout', group: 'Model', kind: 'number', flag: '--dropout', help: 'rate of every Dropout layer (discriminator)', phrase: (v) => `dropout ${v}` },
  { key: 'leakyReluAlpha', label: 'LeakyReLU α', group: 'Model', kind: 'number', flag: '--leaky-alpha', help: 'slope of every LeakyReLU', phrase: (v) => `LeakyReLU α ${v}` },
  { key: 'batchNormMomentum', label: 'BatchNorm momentum', group: 'Model', kind: 'number', flag: '--bn-momentum', help: 'momentum of every BatchNorm layer', phrase: (v) => `BN momentum ${v}` },
  { key: 'loss', label: 'Loss', group: 'Recipes', kind: 'choice', options: LOSS_NAMES, flag: '--loss', help: 'adversarial loss (default bce, the tutorial’s)', phrase: (v) => `${v} loss`, off: 'bce' },
  { key: 'labelSmoothing', label: 'Label smoothing', group: 'Recipes', kind: 'number', flag: '--label-smoothing', help: 'one-sided: real images’ target is 1 − X (e.g. 0.1)', phrase: (v) => `label smoothing ${v}`, off: 0 },
  { key: 'instanceNoise', label: 'Instance noise', group: 'Recipes', kind: 'number', flag: '--instance-noise', help: 'std of noise on D’s inputs, annealed to 0 (e.g. 0.1)', phrase: (v) => `instance noise ${v}`, off: 0 },
  { key: 'diffAugment', label: 'DiffAugment', group: 'Recipes', kind: 'flags', options: DIFF_AUGMENT_OPS, flag: '--diffaugment', help: 'augment real and fake alike (for small datasets; none = off)', phrase: (v) => `DiffAugment ${v}`, off: [] },
  { key: 'emaDecay', label: 'EMA generator', group: 'Recipes', kind: 'number', flag: '--ema', value: 'DECAY', help: 'samples from an average of G’s weights (e.g. 0.999; 0 = off)', phrase: (v) => `EMA ${v}`, off: 0 },
  { key: 'spectralNorm', label: 'Spectral norm (D)', group: 'Recipes', kind: 'switch', flag: '--spectral-norm', help: 'normalise D’s weights by their largest singular value', phrase: (v) => (v === 'true' ? 'spectral norm' : 'no spectral norm'), off: false },
  { key: 'r1Gamma', label: 'R1 penalty γ', group: 'Recipes', kind: 'number', flag: '--r1', value: 'GAMMA', help: 'penalise D’s gradient on real images (e.g. 10; 0 = off)', phrase: (v) => `R1 ${v}`, off: 0 },
  { key: 'gridRows', label: 'Grid rows', group: 'Samples', kind: 'integer', flag: '--grid-rows', help: 'rows of the sample grid' },
  { key: 'gridCols', label: 'Grid columns', group: 'Samples', kind: 'integer', flag: '--grid-cols', help: 'columns of the sample grid' },
  { key: 'earlySampleSteps', label: 'Early sample steps', group: 'Samples', kind: 'steps', flag: '--early-samples', value: 'N,N', help: 'steps after which an extra grid is drawn (none = no early grids)' },
];

const BY_KEY = new Map<string, ConfigField>(CONFIG_FIELDS.map((field) => [field.key, field]));
const BY_FLAG = new Map<string, ConfigField>(CONFIG_FIELDS.map((field) => [field.flag, field]));

/** The field's description, if it is a config field. */
export function configField(key: string): ConfigField | undefined {
  return BY_KEY.get(key);
}

/** The field a `train` flag sets ("--g-lr" or "g-lr"). */
export function configFieldByFlag(flag: string): ConfigField | undefined {
  return BY_FLAG.get(flag.startsWith('--') ? flag : `--${flag}`);
}

/** The field's human label; an unknown key (a newer run's) is shown as is. */
export function configFieldLabel(key: string): string {
  return BY_KEY.get(key)?.label ?? key;
}

/** The placeholder of a field's flag value in help: N, X, a|b, a,b,c; none for a switch. */
export function flagValueName(field: ConfigField): string | undefined {
  if (field.value) return field.value;
  switch (field.kind) {
    case 'integer':
      return 'N';
    case 'number':
      return 'X';
    case 'choice':
      return (field.options ?? []).join('|');
    case 'flags':
      return (field.options ?? []).join(',');
    case 'steps':
      return 'N,N';
    case 'switch':
      return undefined;
  }
}

/** The recipe fields: those with an "off" value. */
export const RECIPE_FIELDS: readonly (ConfigField & { off: RecipeOff })[] = CONFIG_FIELDS.filter((field): field is ConfigField & { off: RecipeOff } => field.off !== undefined);

/** Whether `value` is the recipe's "off" value (an empty list for DiffAugment). */
export function isRecipeOff(field: ConfigField & { off: RecipeOff }, value: unknown): boolean {
  return Array.isArray(field.off) ? Array.isArray(value) && value.length === 0 : value === field.off;
}

/** What an absent value means, for display: a recipe's off ("bce" for the loss, else "off"); other fields follow the preset. */
function absentText(key: string): string | undefined {
  const off = BY_KEY.get(key)?.off;
  if (off === undefined) return undefined;
  return typeof off === 'string' ? off : 'off';
}

/** A config value as people read it: lists joined, switches on/off, absent recipes "off". */
export function formatConfigValue(key: string, value: unknown): string {
  if (value === undefined || value === null) return absentText(key) ?? '(default)';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (Array.isArray(value)) return value.length === 0 ? (absentText(key) ?? '—') : value.join(', ');
  return String(value);
}

/** The recipes a config switches on, as "Loss hinge, EMA generator 0.999"; "none" for the tutorial's step. */
export function describeRecipes(config: Partial<TrainingConfig>): string {
  const on = RECIPE_FIELDS.flatMap((field) => {
    const value = config[field.key];
    if (value === undefined || isRecipeOff(field, value)) return [];
    return [value === true ? field.label : `${field.label} ${formatConfigValue(field.key, value)}`];
  });
  return on.length > 0 ? on.join(', ') : 'none';
}
