/**
 * Metrics as CSV for spreadsheets and notebooks: one file of step records,
 * one of epoch records (with each quality score's value, std and n), columns
 * named as the course names them. Score columns come from SCORE_SPECS.
 */
import type { EpochMetrics, StepMetrics } from '../../shared/metrics';
import { SCORE_SPECS, type ScoresRecord } from '../../shared/scores';

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

/** Per score (SCORE_SPECS order): its value, std and sample size, e.g. fid, fid_std, fid_n. */
export const SCORE_COLUMNS = SCORE_SPECS.flatMap((spec) => [spec.name, `${spec.name}_std`, `${spec.name}_n`]);

/** What the scores were computed on (feature network and its accuracy): numbers only compare on the same features. */
export const SCORE_FEATURE_COLUMNS = ['score_features', 'score_feature_accuracy'] as const;

/** epochs.csv's columns: the epoch metrics, then every score with its std and n. */
export const EPOCH_SCORE_COLUMNS: readonly string[] = [...EPOCH_COLUMNS, ...SCORE_COLUMNS, ...SCORE_FEATURE_COLUMNS];

/** One row per epoch record with its scores (empty cells for an epoch that was not scored). */
export function epochRowsWithScores(epochs: EpochMetrics[], scores: ScoresRecord[]): Record<string, unknown>[] {
  const byEpoch = new Map(scores.map((record) => [record.epoch, record]));
  return epochs.map((epoch) => {
    const record = byEpoch.get(epoch.epoch);
    const row: Record<string, unknown> = { ...epoch };
    if (!record) return row;
    for (const spec of SCORE_SPECS) {
      const score = record.scores[spec.name];
      if (!score) continue;
      row[spec.name] = score.value;
      row[`${spec.name}_std`] = score.std;
      row[`${spec.name}_n`] = score.n;
    }
    row.score_features = record.feature.network;
    row.score_feature_accuracy = record.feature.accuracy;
    return row;
  });
}
