/**
 * What the UI gets of a run's steps: an overview that is small whatever the
 * run's length (a min/max-preserving downsample, the newest steps in full)
 * and, on zoom, any step range at the same bounded size. Indexes stay cached
 * per run, least recently used dropped first, within a row budget.
 */
import { join } from 'node:path';
import type { StepMetrics } from '../../../shared/metrics';
import { RUN_FILES } from '../../runs';
import { downsampleRows } from './downsample';
import { CHARTED_FIELDS, StepIndex } from './step-index';

/** The most step records one answer carries. */
export const STEP_POINTS = 2000;
/** The newest steps sent in full in an overview (live figures average the recent pace over them). */
export const FULL_TAIL = 200;

/** Steps of a range: `steps` is every record or a downsample of them; `count` is how many the range holds. */
export interface StepSlice {
  steps: StepMetrics[];
  count: number;
}

export class RunStepsCache {
  private readonly indexes = new Map<string, StepIndex>();

  /** `maxRows`: rows held across cached runs (8 numbers each) before the least recently used run is dropped. */
  constructor(private readonly maxRows = 1_500_000) {}

  /** The up-to-date index of the run in `runDir`. */
  async index(runDir: string): Promise<StepIndex> {
    const index = this.indexes.get(runDir) ?? new StepIndex(join(runDir, RUN_FILES.metrics));
    // Re-inserting marks it the most recently used (Map keeps insertion order).
    this.indexes.delete(runDir);
    this.indexes.set(runDir, index);
    await index.refresh();
    this.evict(runDir);
    return index;
  }

  /** Drop a run's index (the run was deleted). */
  forget(runDir: string): void {
    this.indexes.delete(runDir);
  }

  private evict(keep: string): void {
    let total = 0;
    for (const index of this.indexes.values()) total += index.count;
    for (const [dir, index] of this.indexes) {
      if (total <= this.maxRows) return;
      if (dir === keep) continue;
      total -= index.count;
      this.indexes.delete(dir);
    }
  }
}

/** The whole run, bounded: a downsample of all but the newest FULL_TAIL rows, then those in full. */
export function stepOverview(index: StepIndex): StepSlice {
  const count = index.count;
  if (count <= STEP_POINTS) return { steps: rowsOf(index, range(0, count)), count };
  const tailStart = count - FULL_TAIL;
  const head = downsampleRows(seriesOf(index), 0, tailStart, STEP_POINTS - FULL_TAIL);
  return { steps: rowsOf(index, [...head, ...range(tailStart, count)]), count };
}

/** Steps `fromStep`..`toStep` (inclusive), every one when they fit in STEP_POINTS, else downsampled. */
export function stepRange(index: StepIndex, fromStep: number, toStep: number): StepSlice {
  const from = index.rowAtOrAfter(fromStep);
  const to = index.rowAtOrAfter(Math.floor(toStep) + 1);
  return { steps: rowsOf(index, downsampleRows(seriesOf(index), from, to, STEP_POINTS)), count: Math.max(0, to - from) };
}

/** Training time of the steps after `step`, in ms (the elapsed figure counts every step, not a downsample). */
export function msAfterStep(index: StepIndex, step: number): number {
  const ms = index.column('ms');
  let sum = 0;
  for (let i = index.rowAtOrAfter(step + 1); i < index.count; i++) sum += Number.isFinite(ms[i]) ? ms[i]! : 0;
  return sum;
}

const seriesOf = (index: StepIndex): Float64Array[] => CHARTED_FIELDS.map((field) => index.column(field));
const rowsOf = (index: StepIndex, rows: number[]): StepMetrics[] => rows.map((row) => index.row(row));
const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
