/**
 * The New-run form's fields and their validation with the shared schema, so
 * the UI refuses exactly what the server would refuse, field by field.
 */
import type { z } from 'zod';
import { trainingConfigInputSchema, type TrainingConfigInput } from '../../../shared/config';
import type { ModelPreset } from '../../../shared/presets';

/** An editable numeric hyper-parameter. */
export interface FieldSpec {
  key: keyof TrainingConfigInput;
  label: string;
  group: 'Training' | 'Optimizers' | 'Model' | 'Samples';
  step?: string;
  /** The preset's default, shown as the placeholder. */
  fallback: (preset: ModelPreset) => number | string;
}

export const FIELDS: FieldSpec[] = [
  { key: 'epochs', label: 'Epochs', group: 'Training', fallback: (p) => p.training.epochs },
  { key: 'batchSize', label: 'Batch size', group: 'Training', fallback: (p) => p.training.batchSize },
  { key: 'seed', label: 'Seed', group: 'Training', fallback: () => 'random' },
  { key: 'checkpointEvery', label: 'Checkpoint every (epochs)', group: 'Training', fallback: () => 1 },
  { key: 'generatorLearningRate', label: 'G learning rate', group: 'Optimizers', step: 'any', fallback: (p) => p.training.generatorLearningRate },
  { key: 'generatorBeta1', label: 'G β₁', group: 'Optimizers', step: 'any', fallback: (p) => p.training.generatorBeta1 },
  { key: 'discriminatorLearningRate', label: 'D learning rate', group: 'Optimizers', step: 'any', fallback: (p) => p.training.discriminatorLearningRate },
  { key: 'discriminatorBeta1', label: 'D β₁', group: 'Optimizers', step: 'any', fallback: (p) => p.training.discriminatorBeta1 },
  { key: 'latentDim', label: 'Latent size', group: 'Model', fallback: (p) => p.latentDim },
  { key: 'filterScale', label: 'Filter scale', group: 'Model', step: 'any', fallback: () => 1 },
  { key: 'dropout', label: 'Dropout', group: 'Model', step: 'any', fallback: () => 'preset' },
  { key: 'leakyReluAlpha', label: 'LeakyReLU α', group: 'Model', step: 'any', fallback: () => 'preset' },
  { key: 'batchNormMomentum', label: 'BatchNorm momentum', group: 'Model', step: 'any', fallback: () => 'preset' },
  { key: 'gridRows', label: 'Grid rows', group: 'Samples', fallback: () => 4 },
  { key: 'gridCols', label: 'Grid columns', group: 'Samples', fallback: () => 4 },
];

/** Raw text per field, as typed. */
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
/** Fields typed without a step take whole numbers only. */
const INTEGER_KEYS = new Set<string>(FIELDS.filter((f) => f.step === undefined).map((f) => f.key));
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
    const number = Number(text);
    if (!Number.isFinite(number)) errors[field.key] = `${field.label} must be a number; “${text}” is not one.`;
    else input[field.key] = number;
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
    if (typeof value === 'number') values[field.key] = String(value);
  }
  return values;
}
