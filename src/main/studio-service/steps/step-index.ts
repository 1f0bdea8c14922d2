/**
 * A run's metrics.jsonl as columns of numbers, read by streaming and kept
 * up to date by reading only what was appended since (JsonlFollower).
 * Opening a run with 200k steps then costs one pass over the file in small
 * chunks (other requests run between them) and ~11 MB of typed arrays
 * instead of 200k objects; later opens and zooms read from memory. Damaged
 * lines are skipped and counted, so one garbled line hides nothing else.
 */
import type { StepMetrics } from '../../../shared/metrics';
import { JsonlFollower } from '../../runs/jsonl-follower';
import type { JsonlDamage } from '../../runs/jsonl';
import { RUN_JSONL } from '../../runs/run-dir';

/** Every field of a step record, in column order. */
export const STEP_FIELDS = ['step', 'epoch', 'gen_loss', 'disc_loss', 'real_accuracy', 'fake_accuracy', 'ms'] as const satisfies readonly (keyof StepMetrics)[];
// Fails to compile when StepMetrics gains a field the columns would drop.
const FIELDS_COMPLETE: Exclude<keyof StepMetrics, (typeof STEP_FIELDS)[number]> extends never ? true : never = true;
void FIELDS_COMPLETE;

/** The charted series: a downsample keeps the minimum and maximum of each. */
export const CHARTED_FIELDS = ['gen_loss', 'disc_loss', 'real_accuracy', 'fake_accuracy'] as const satisfies readonly (keyof StepMetrics)[];

type Field = (typeof STEP_FIELDS)[number];

export class StepIndex {
  private columns = newColumns(1024);
  private length = 0;
  private readonly follower: JsonlFollower;

  constructor(readonly file: string) {
    this.follower = new JsonlFollower(file, RUN_JSONL.metrics.isRecord, {
      record: (value) => this.push(stepNumbers(value as Record<string, unknown>)),
      reset: () => {
        this.columns = newColumns(1024);
        this.length = 0;
      },
    });
  }

  /** Rows held. */
  get count(): number {
    return this.length;
  }

  /** Damaged lines of the file, skipped (every good line around them is held). */
  get damage(): JsonlDamage | undefined {
    return this.follower.damage;
  }

  /** Read whatever was appended since the last call (everything, when the file was replaced or cut). */
  refresh(): Promise<void> {
    return this.follower.refresh();
  }

  /** One column's values for rows [0, count). */
  column(field: Field): Float64Array {
    return this.columns[field].subarray(0, this.length);
  }

  /** The step record of row `index`. */
  row(index: number): StepMetrics {
    const record = {} as Record<Field, number>;
    for (const field of STEP_FIELDS) record[field] = this.columns[field][index]!;
    return record;
  }

  /** The first row whose step is >= `step` (count when none). */
  rowAtOrAfter(step: number): number {
    const steps = this.columns.step;
    let low = 0;
    let high = this.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (steps[mid]! < step) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private push(record: Record<Field, number>): void {
    if (this.length === this.columns.step.length) this.columns = grow(this.columns, this.length * 2);
    for (const field of STEP_FIELDS) this.columns[field][this.length] = record[field];
    this.length++;
  }
}

/** A step record's numbers (null, as JSON writes NaN, reads back as NaN). */
function stepNumbers(raw: Record<string, unknown>): Record<Field, number> {
  const record = {} as Record<Field, number>;
  for (const field of STEP_FIELDS) record[field] = typeof raw[field] === 'number' ? raw[field] : Number.NaN;
  return record;
}
function newColumns(capacity: number): Record<Field, Float64Array> {
  return Object.fromEntries(STEP_FIELDS.map((field) => [field, new Float64Array(capacity)])) as Record<Field, Float64Array>;
}

function grow(columns: Record<Field, Float64Array>, capacity: number): Record<Field, Float64Array> {
  const next = newColumns(capacity);
  for (const field of STEP_FIELDS) next[field].set(columns[field]);
  return next;
}
