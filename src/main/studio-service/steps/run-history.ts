/**
 * What the UI gets of a run's per-epoch history — epoch records, sample grids
 * and score records, which all grow with the run's length (a 200k-step run of
 * 16-step epochs has 12,500 of each): an overview of bounded size whatever
 * the length, as the step overview is (a min/max-preserving downsample of the
 * older records, the newest in full), and any epoch range on demand.
 */
import type { EpochMetrics } from '../../../shared/metrics';
import { SCORE_SPECS, type ScoresRecord } from '../../../shared/scores';
import type { SampleEntry } from '../run-files';
import { downsampleRows } from './downsample';

/** The most records of each kind (epochs, grids, scores) one answer carries. */
export const HISTORY_POINTS = 500;
/** The newest records of each kind sent in full in an overview. */
export const HISTORY_TAIL = 100;

/** A run's history as read from its files (every good record, oldest first). */
export interface HistoryRecords {
  epochs: EpochMetrics[];
  samples: SampleEntry[];
  scores: ScoresRecord[];
}

/** A bounded selection of each kind, and how many the whole selection (run or range) holds. */
export interface HistorySlice extends HistoryRecords {
  epochCount: number;
  sampleCount: number;
  scoreCount: number;
}

const EPOCH_SERIES = ['gen_loss', 'disc_loss', 'real_accuracy', 'fake_accuracy'] as const;

/** The whole run, bounded: of each kind, a downsample of all but the newest HISTORY_TAIL records, then those in full. */
export function historyOverview(records: HistoryRecords): HistorySlice {
  return slice(records, HISTORY_TAIL);
}

/** The records of epochs `fromEpoch`..`toEpoch` (inclusive): every one when they fit in HISTORY_POINTS, else downsampled. */
export function historyRange(records: HistoryRecords, fromEpoch: number, toEpoch: number): HistorySlice {
  const inRange = <T extends { epoch: number }>(list: T[]): T[] => list.filter((record) => record.epoch >= fromEpoch && record.epoch <= toEpoch);
  return slice({ epochs: inRange(records.epochs), samples: inRange(records.samples), scores: inRange(records.scores) }, 0);
}

function slice({ epochs, samples, scores }: HistoryRecords, tail: number): HistorySlice {
  return {
    epochs: bounded(epochs, tail, (rows) => EPOCH_SERIES.map((key) => rows.map((row) => row[key] ?? Number.NaN))),
    // Grids have no values to keep extremes of: evenly spaced, the first and the newest always kept.
    samples: bounded(samples, tail, () => []),
    scores: bounded(scores, tail, (rows) => SCORE_SPECS.map((spec) => rows.map((row) => row.scores[spec.name]?.value ?? Number.NaN))),
    epochCount: epochs.length,
    sampleCount: samples.length,
    scoreCount: scores.length,
  };
}

/**
 * Every record when there are at most HISTORY_POINTS; else the newest `tail` in full after a
 * downsample of the rest: one that keeps each of `series`' minimum and maximum per stretch, or
 * evenly spaced records when there are no series.
 */
function bounded<T>(records: T[], tail: number, series: (records: T[]) => ArrayLike<number>[]): T[] {
  const count = records.length;
  if (count <= HISTORY_POINTS) return records;
  const tailStart = count - tail;
  const values = series(records);
  const head = values.length > 0 ? downsampleRows(values, 0, tailStart, HISTORY_POINTS - tail) : evenlySpaced(tailStart, HISTORY_POINTS - tail);
  return [...head.map((row) => records[row]!), ...records.slice(tailStart)];
}

/** `points` indices spread evenly over [0, count), the first and the last included. */
function evenlySpaced(count: number, points: number): number[] {
  if (count <= points) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: points }, (_, i) => Math.round((i * (count - 1)) / (points - 1)));
}
