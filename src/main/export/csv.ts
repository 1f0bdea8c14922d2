/**
 * Metrics as CSV for spreadsheets and notebooks: one file of step records,
 * one of epoch records, columns named as the course names them.
 */
import type { EpochMetrics, StepMetrics } from '../../shared/metrics';

export const STEP_COLUMNS = ['step', 'epoch', 'gen_loss', 'disc_loss', 'real_accuracy', 'fake_accuracy', 'ms'] as const satisfies readonly (keyof StepMetrics)[];
export const EPOCH_COLUMNS = [
  'epoch',
  'step',
  'gen_loss',
  'disc_loss',
  'real_accuracy',
  'fake_accuracy',
  'images_per_second',
  'seconds',
] as const satisfies readonly (keyof EpochMetrics)[];

function cell(value: unknown): string {
  // A NaN loss stays visible as "NaN"; a missing field is an empty cell.
  if (typeof value === 'number') return String(value);
  return value === undefined || value === null ? '' : `"${String(value).replace(/"/g, '""')}"`;
}

/** Records → CSV text with a header row (RFC 4180, \n line ends). */
export function toCsv<T extends object>(records: T[], columns: readonly (keyof T & string)[]): string {
  const rows = records.map((record) => columns.map((column) => cell(record[column])).join(','));
  return [columns.join(','), ...rows].join('\n') + '\n';
}
