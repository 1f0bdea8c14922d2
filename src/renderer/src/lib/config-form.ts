/**
 * The New-run form's fields and their validation with the shared schema, so
 * the UI refuses exactly what the server would refuse, field by field.
 */
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

/** Parse typed values (blank = preset default) and validate with the shared schema. */
export function validateForm(preset: string, values: FormValues, backend?: string): FormResult {
  const errors: Record<string, string> = {};
  const input: Record<string, unknown> = { preset };
  for (const field of FIELDS) {
    const text = values[field.key]?.trim();
    if (!text) continue;
    const number = Number(text);
    if (!Number.isFinite(number)) errors[field.key] = `expected a number, got “${text}”`;
    else input[field.key] = number;
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
    if (typeof value === 'number') values[field.key] = String(value);
  }
  return values;
}
