/**
 * A config field's value as text and back, one rule per kind of field
 * (config-fields.ts): what a `train` flag, a sweep's `--vary`, and the New
 * run form's fields all read and write.
 */
import { trainingConfigInputSchema, type TrainingConfigInput } from './config';
import { configFieldByFlag, type ConfigField } from './config-fields';
import { configIssueLines } from './config-issue';

/** Text read as a field's value, or what was expected and the part that was not it. */
export type FieldTextResult = { ok: true; value: unknown } | { ok: false; expected: string; got: string };

const ON = new Set(['on', 'true', 'yes', '1']);
const OFF = new Set(['off', 'false', 'no', '0']);

/** Split "a, b,c" into its items; "none" (or nothing) is the empty list. */
function items(text: string): string[] {
  const parts = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  return parts.length === 1 && parts[0] === 'none' ? [] : parts;
}

/**
 * Read typed text as the field's value; ranges and cross-field rules are the schema's to check.
 * A number is any finite number (the schema says whether it must be whole).
 */
export function parseFieldText(field: ConfigField, raw: string): FieldTextResult {
  const text = raw.trim();
  switch (field.kind) {
    case 'integer':
    case 'number': {
      const value = Number(text);
      return text !== '' && Number.isFinite(value) ? { ok: true, value } : { ok: false, expected: 'a number', got: raw };
    }
    case 'choice':
      return (field.options ?? []).includes(text) ? { ok: true, value: text } : { ok: false, expected: `one of ${(field.options ?? []).join(', ')}`, got: raw };
    case 'flags': {
      const chosen = items(text);
      const unknown = chosen.filter((item) => !(field.options ?? []).includes(item));
      if (unknown.length > 0) return { ok: false, expected: `a comma-separated list of ${(field.options ?? []).join(', ')} (or none)`, got: unknown.join(', ') };
      return { ok: true, value: chosen };
    }
    case 'steps': {
      const steps = items(text).map(Number);
      return steps.every(Number.isFinite) ? { ok: true, value: steps } : { ok: false, expected: 'whole numbers separated by commas (or none)', got: raw };
    }
    case 'switch':
      if (ON.has(text.toLowerCase())) return { ok: true, value: true };
      if (OFF.has(text.toLowerCase())) return { ok: true, value: false };
      return { ok: false, expected: 'on or off', got: raw };
  }
}

/** A value as the field's text: what parseFieldText reads back to the same value. */
export function fieldText(field: ConfigField, value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(',');
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}

/** A flag or its value that the field list or the schema refuses, said in the flag's words. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * A `train` flag and its text as the config field it sets, checked against that field's own
 * range (cross-field rules need the whole config): `--g-lr 2e-4` → { key: 'generatorLearningRate', value: 0.0002 }.
 * Throws ConfigError naming the flag.
 */
export function configValueFromFlag(flag: string, text: string): { key: keyof TrainingConfigInput; value: unknown } {
  const field = configFieldByFlag(flag);
  if (!field) throw new ConfigError(`--${flag.replace(/^--/, '')} is not a training setting.`);
  const parsed = parseFieldText(field, text);
  if (!parsed.ok) throw new ConfigError(`${field.flag} expects ${parsed.expected}, got "${parsed.got}".`);
  const key = field.key as keyof TrainingConfigInput;
  const checked = trainingConfigInputSchema.shape[key].safeParse(parsed.value);
  if (!checked.success) throw new ConfigError(configIssueLines(checked.error, () => `${field.flag} (${key})`, key).join('\n'));
  return { key, value: checked.data };
}
