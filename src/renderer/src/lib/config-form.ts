/**
 * The New-run form's fields and their validation with the shared schema, so
 * the UI refuses exactly what the server would refuse, field by field.
 */
import type { z } from 'zod';
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

/** What the form knows beyond the typed text: the chosen dataset's size, so a too-large batch is caught before Start. */
export interface FormContext {
  backend?: string;
  datasetCount?: number;
  /** The preset's own batch size (used when the field is blank). */
  presetBatchSize?: number;
}

const LABELS = new Map<string, string>(FIELDS.map((f) => [f.key, f.label]));
/** Number fields typed without a step take whole numbers only. */
const INTEGER_KEYS = new Set<string>(FIELDS.filter((f) => f.kind === 'number' && f.step === undefined).map((f) => f.key));
const count = (n: number): string => n.toLocaleString('en-US');

/**
 * The one mapping from a schema refusal to words a person reads: the field's
 * label and the rule it broke, never the schema's own text
 * ("Invalid input: expected int, received number").
 */
export function humanMessage(key: string, issue: z.core.$ZodIssue): string {
  const label = LABELS.get(key) ?? key;
  // Whole-number fields say "at least 1", not "more than 0".
  const whole = INTEGER_KEYS.has(key);
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? `${label} must be a whole number.` : `${label} must be a number.`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.inclusive || whole) return `${label} must be at least ${count(issue.inclusive ? min : Math.floor(min) + 1)}.`;
      return `${label} must be more than ${count(min)}.`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.inclusive || whole) return `${label} must be at most ${count(issue.inclusive ? max : Math.ceil(max) - 1)}.`;
      return `${label} must be less than ${count(max)}.`;
    }
    case 'not_multiple_of':
      return `${label} must be a multiple of ${String(issue.divisor)}.`;
    // Cross-field rules (config.ts) write their message for people already.
    case 'custom':
      return `${label}: ${issue.message}`;
    default:
      return `${label} is not a value this setting takes.`;
  }
}

/** Parse typed values (blank = preset default) and validate with the shared schema, in words a person reads. */
export function validateForm(preset: string, values: FormValues, context: FormContext = {}): FormResult {
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
      if (!Number.isFinite(number)) errors[field.key] = `${field.label} must be a number; “${text}” is not one.`;
      else input[field.key] = number;
    }
  }
  if (context.backend) input.backend = context.backend;
  const parsed = trainingConfigInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'config');
      errors[key] ??= humanMessage(key, issue);
    }
  }
  const batch = typeof input.batchSize === 'number' ? input.batchSize : context.presetBatchSize;
  if (!errors.batchSize && batch !== undefined && context.datasetCount !== undefined && batch > context.datasetCount) {
    const which = typeof input.batchSize === 'number' ? `Batch size ${count(batch)}` : `The preset’s batch size (${count(batch)})`;
    errors.batchSize = `${which} is larger than the dataset (${count(context.datasetCount)} images): use ${count(context.datasetCount)} or less.`;
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
