/**
 * The New-run form's fields and their validation with the shared schema, so
 * the UI refuses exactly what the server would refuse, field by field.
 */
import { trainingConfigInputSchema, type TrainingConfig, type TrainingConfigInput } from '../../../shared/config';
import { configField, configFieldLabel } from '../../../shared/config-fields';
import type { ModelPreset } from '../../../shared/presets';
import { DIFF_AUGMENT_OPS, LOSS_NAMES, type RecipeConfig } from '../../../shared/recipes';

/** How a field is edited. */
export type FieldKind = 'number' | 'choice' | 'flags' | 'switch';

/** An editable setting; its label comes from the shared field list (src/shared/config-fields.ts). */
export interface FieldSpec {
  key: keyof TrainingConfigInput;
  label: string;
  group: 'Training' | 'Optimizers' | 'Model' | 'Recipes' | 'Samples';
  kind: FieldKind;
  step?: string;
  /** For choice and flags: the options. */
  options?: readonly string[];
  /** The preset's default, shown as the placeholder. */
  fallback: (preset: ModelPreset) => number | string;
}

type Extra = Partial<Pick<FieldSpec, 'kind' | 'step' | 'options'>>;
const field = (key: keyof TrainingConfigInput & keyof TrainingConfig, group: FieldSpec['group'], fallback: FieldSpec['fallback'], extra: Extra = {}): FieldSpec => ({
  key,
  label: configFieldLabel(key),
  group,
  kind: 'number',
  fallback,
  ...extra,
});
const any = { step: 'any' } as const;
/** A recipe's placeholder: the preset's own value, or "off". */
const recipe = (key: keyof RecipeConfig, off = 'off') => (p: ModelPreset) => {
  const value = p.recipes?.[key];
  return value === undefined ? off : Array.isArray(value) ? value.join(', ') : String(value);
};

export const FIELDS: FieldSpec[] = [
  field('epochs', 'Training', (p) => p.training.epochs),
  field('batchSize', 'Training', (p) => p.training.batchSize),
  field('seed', 'Training', () => 'random'),
  field('checkpointEvery', 'Training', () => 1),
  field('generatorLearningRate', 'Optimizers', (p) => p.training.generatorLearningRate, any),
  field('generatorBeta1', 'Optimizers', (p) => p.training.generatorBeta1, any),
  field('discriminatorLearningRate', 'Optimizers', (p) => p.training.discriminatorLearningRate, any),
  field('discriminatorBeta1', 'Optimizers', (p) => p.training.discriminatorBeta1, any),
  field('latentDim', 'Model', (p) => p.latentDim),
  field('filterScale', 'Model', () => 1, any),
  field('dropout', 'Model', () => 'preset', any),
  field('leakyReluAlpha', 'Model', () => 'preset', any),
  field('batchNormMomentum', 'Model', () => 'preset', any),
  field('loss', 'Recipes', recipe('loss', 'bce'), { kind: 'choice', options: LOSS_NAMES }),
  field('labelSmoothing', 'Recipes', recipe('labelSmoothing'), any),
  field('instanceNoise', 'Recipes', recipe('instanceNoise'), any),
  field('diffAugment', 'Recipes', recipe('diffAugment'), { kind: 'flags', options: DIFF_AUGMENT_OPS }),
  field('emaDecay', 'Recipes', recipe('emaDecay'), any),
  field('spectralNorm', 'Recipes', recipe('spectralNorm'), { kind: 'switch' }),
  field('r1Gamma', 'Recipes', recipe('r1Gamma'), any),
  field('gridRows', 'Samples', () => 4),
  field('gridCols', 'Samples', () => 4),
];

/** The one-line description of a field (shown as a tooltip). */
export function fieldHelp(key: string): string {
  return configField(key)?.help ?? '';
}

/**
 * Raw text per field, as typed: a number, a choice ("" = the preset's), flags
 * as "color,cutout" ("none" = off), a switch as "on" / "off" ("" = the preset's).
 */
export type FormValues = Partial<Record<keyof TrainingConfigInput, string>>;

/** The result of validating the form: a config to send, or messages per field. */
export type FormResult =
  | { ok: true; config: TrainingConfigInput }
  | { ok: false; errors: Partial<Record<string, string>> };

/** Parse typed values (blank = preset default) and validate with the shared schema. */
export function validateForm(preset: string, values: FormValues, backend?: string): FormResult {
  const errors: Record<string, string> = {};
  const input: Record<string, unknown> = { preset };
  for (const field of FIELDS) {
    const text = values[field.key]?.trim();
    if (!text) continue;
    if (field.kind === 'choice') input[field.key] = text;
    else if (field.kind === 'switch') input[field.key] = text === 'on';
    else if (field.kind === 'flags') input[field.key] = text === 'none' ? [] : text.split(',').filter(Boolean);
    else {
      const number = Number(text);
      if (!Number.isFinite(number)) errors[field.key] = `expected a number, got “${text}”`;
      else input[field.key] = number;
    }
  }
  if (backend) input.backend = backend;
  const parsed = trainingConfigInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'config');
      errors[key] ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, config: parsed.data };
}

/** Turn a stored config back into form text (for "New variant of this run"). */
export function valuesFromConfig(config: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const field of FIELDS) {
    const value = config[field.key];
    if (typeof value === 'number' || typeof value === 'string') values[field.key] = String(value);
    else if (typeof value === 'boolean') values[field.key] = value ? 'on' : 'off';
    else if (Array.isArray(value)) values[field.key] = value.length === 0 ? 'none' : value.join(',');
  }
  return values;
}
