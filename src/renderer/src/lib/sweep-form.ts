/**
 * The Sweep form: which settings to vary and their values as typed, read the
 * way the New run form reads one value of the same field (and the CLI's
 * --vary reads it: values separated by commas, or by ; when a value holds
 * commas itself, e.g. DiffAugment's "color,translation").
 */
import { parseFieldText } from '../../../shared/config-field-text';
import { MAX_SWEEP_RUNS, type SweepAxis } from '../../../shared/sweep';
import { FIELDS, type FieldSpec } from './config-form';

/** Fields a sweep may vary: every form field but the seed (the sweep's seeds are its own). */
export const SWEEPABLE_FIELDS: FieldSpec[] = FIELDS.filter((field) => field.key !== 'seed');

export interface VaryRow {
  key: string;
  text: string;
}

/** The Sweep form's state: off (a single run), or seeds × the varied rows; the throttle is Slurm's. */
export interface SweepForm {
  enabled: boolean;
  seeds: number;
  rows: VaryRow[];
  throttle: number;
}

export type VaryResult = { ok: true; axes: SweepAxis[]; runs: number } | { ok: false; errors: Record<number, string> };

/** One typed value of `field` (read as the New run form and `train`'s flags read it), or an error message. */
function readValue(field: FieldSpec, text: string): { value: unknown } | { error: string } {
  // A value of a list field may join its items with + as run names show them ("color+cutout").
  const read = parseFieldText(field, field.kind === 'flags' ? text.replaceAll('+', ',') : text);
  if (read.ok) return { value: read.value };
  switch (field.kind) {
    case 'integer':
    case 'number':
      return { error: `${field.label} values must be numbers; “${read.got}” is not one.` };
    case 'switch':
      return { error: `${field.label} takes on or off; “${read.got}” is neither.` };
    case 'flags':
      return { error: `${field.label} takes none or ${field.options?.join(', ')}; “${read.got}” is not one.` };
    default:
      return { error: `${field.label} takes ${read.expected.replace(/^one of /, '')}; “${read.got}” is not one.` };
  }
}

/** The sweep's axes, with how many runs they make over `seeds`; errors per row. */
export function readVaryRows(rows: VaryRow[], seeds: number): VaryResult {
  const errors: Record<number, string> = {};
  const axes: SweepAxis[] = [];
  rows.forEach((row, index) => {
    const field = SWEEPABLE_FIELDS.find((candidate) => candidate.key === row.key);
    if (!field) return void (errors[index] = 'Pick a setting to vary.');
    if (rows.findIndex((other) => other.key === row.key) !== index) return void (errors[index] = `${field.label} is varied twice: give all its values in one row.`);
    const parts = (row.text.includes(';') ? row.text.split(';') : row.text.split(',')).map((part) => part.trim()).filter(Boolean);
    if (parts.length === 0) return void (errors[index] = `Give ${field.label} at least one value.`);
    const values: unknown[] = [];
    for (const part of parts) {
      const read = readValue(field, part);
      if ('error' in read) return void (errors[index] = read.error);
      values.push(read.value);
    }
    axes.push({ key: field.key, values } as SweepAxis);
  });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const runs = axes.reduce((total, axis) => total * axis.values.length, 1) * seeds;
  if (runs > MAX_SWEEP_RUNS) return { ok: false, errors: { [rows.length - 1]: `This sweep would make ${runs} runs; at most ${MAX_SWEEP_RUNS}.` } };
  return { ok: true, axes, runs };
}
