/**
 * The New-run form's fields and their validation with the shared schema, so
 * the UI refuses exactly what the server would refuse, field by field.
 */
import { resolveTrainingConfig, trainingConfigInputSchema, type TrainingConfigInput } from '../../../shared/config';
import { fieldText, parseFieldText } from '../../../shared/config-field-text';
import { CONFIG_FIELDS, configFieldLabel, formatConfigValue, type ConfigField, type ConfigFieldGroup } from '../../../shared/config-fields';
import { configIssueWords } from '../../../shared/config-issue';
import type { PresetName } from '../../../shared/presets';

/** An editable setting: a field of the shared list (src/shared/config-fields.ts). */
export type FieldSpec = ConfigField;

/** The form's groups, in order; the `Run` fields (preset, backend) have their own pickers above them. */
export const FORM_GROUPS = ['Training', 'Optimizers', 'Model', 'Recipes', 'Samples'] as const satisfies readonly ConfigFieldGroup[];

/** Every config field the hyper-parameter groups edit. */
export const FIELDS: readonly FieldSpec[] = CONFIG_FIELDS.filter((field) => field.group !== 'Run');

/** The one-line description of a field (shown as a tooltip). */
export function fieldHelp(key: string): string {
  return CONFIG_FIELDS.find((field) => field.key === key)?.help ?? '';
}

/**
 * What a blank field means for `preset`, from the same resolution the server does: the preset's
 * value, "random" for the seed, "off" for an absent recipe, "preset" where its layers decide.
 */
export function presetPlaceholders(preset: PresetName): Record<string, string> {
  const resolved: Record<string, unknown> = resolveTrainingConfig({ preset, seed: 0 });
  return Object.fromEntries(
    FIELDS.map((field) => {
      const value = resolved[field.key];
      if (field.key === 'seed') return [field.key, 'random'];
      return [field.key, value === undefined && field.off === undefined ? 'preset' : formatConfigValue(field.key, value)];
    }),
  );
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

const count = (n: number): string => n.toLocaleString('en-US');

/** Parse typed values (blank = preset default) and validate with the shared schema, in words a person reads. */
export function validateForm(preset: string, values: FormValues, context: FormContext = {}): FormResult {
  const errors: Record<string, string> = {};
  const input: Record<string, unknown> = { preset };
  for (const field of FIELDS) {
    const text = values[field.key]?.trim();
    if (!text) continue;
    const parsed = parseFieldText(field, text);
    if (parsed.ok) input[field.key] = parsed.value;
    else errors[field.key] = `${field.label} must be ${parsed.expected}; “${parsed.got}” is not one.`;
  }
  if (context.backend) input.backend = context.backend;
  const parsed = trainingConfigInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'config');
      errors[key] ??= configIssueWords(key, configFieldLabel(key), issue);
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
    if (value !== undefined && value !== null) values[field.key as keyof TrainingConfigInput] = fieldText(field, value);
  }
  return values;
}
