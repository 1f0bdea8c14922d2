/**
 * A run's metrics.jsonl as columns of numbers, read by streaming and kept
 * up to date by reading only what was appended since. Opening a run with
 * 200k steps then costs one pass over the file in small chunks (other
 * requests run between them) and ~11 MB of typed arrays instead of 200k
 * objects; later opens and zooms read from memory.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { StepMetrics } from '../../../shared/metrics';
import { JsonlError } from '../../runs/jsonl';

/** Every field of a step record, in column order. */
export const STEP_FIELDS = ['step', 'epoch', 'gen_loss', 'disc_loss', 'real_accuracy', 'fake_accuracy', 'ms'] as const satisfies readonly (keyof StepMetrics)[];
// Fails to compile when StepMetrics gains a field the columns would drop.
const FIELDS_COMPLETE: Exclude<keyof StepMetrics, (typeof STEP_FIELDS)[number]> extends never ? true : never = true;
void FIELDS_COMPLETE;

/** The charted series: a downsample keeps the minimum and maximum of each. */
export const CHARTED_FIELDS = ['gen_loss', 'disc_loss', 'real_accuracy', 'fake_accuracy'] as const satisfies readonly (keyof StepMetrics)[];

type Field = (typeof STEP_FIELDS)[number];
const CHUNK_BYTES = 64 * 1024;

/**
 * One chunk is parsed at a time across every run being read, then the event
 * loop gets a turn: ten long runs opened at once take turns, and any other
 * request waits at most about one chunk's parse (a few ms).
 */
let turns: Promise<unknown> = Promise.resolve();
function inTurn<T>(work: () => T): Promise<T> {
  const result = turns.then(work);
  turns = result.then(nextLoopTurn, nextLoopTurn);
  return result;
}
const nextLoopTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class StepIndex {
  private columns = newColumns(1024);
  private length = 0;
  /** Bytes of the file consumed (complete lines only) and the file identity they came from. */
  private offset = 0;
  private inode = -1;
  private lines = 0;
  /** A line that did not parse; an error only once a later line shows it was not a torn tail. */
  private badLine: number | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(readonly file: string) {}

  /** Rows held. */
  get count(): number {
    return this.length;
  }

  /** Read whatever was appended since the last call (everything, when the file was replaced or cut). */
  refresh(): Promise<void> {
    this.refreshing ??= this.readNew()
      .catch((error: unknown) => {
        // Half-read rows must not stay behind a damaged line: the next call starts over.
        this.reset(-1);
        throw error;
      })
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
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

  private reset(inode: number): void {
    this.columns = newColumns(1024);
    this.length = 0;
    this.offset = 0;
    this.lines = 0;
    this.badLine = undefined;
    this.inode = inode;
  }

  private async readNew(): Promise<void> {
    let info;
    try {
      info = await stat(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return this.reset(-1);
    }
    // A resume rewrites the file (new inode, fewer lines): start over.
    if (info.ino !== this.inode || info.size < this.offset) this.reset(info.ino);
    if (info.size === this.offset) return;
    let carry: Buffer = Buffer.alloc(0);
    const stream = createReadStream(this.file, { start: this.offset, end: info.size - 1, highWaterMark: CHUNK_BYTES });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buffer = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const end = buffer.lastIndexOf(0x0a) + 1;
      await inTurn(() => this.parseLines(buffer, end));
      this.offset += end;
      carry = buffer.subarray(end);
    }
  }

  /** Parse the complete lines in buffer[0, end). */
  private parseLines(buffer: Buffer, end: number): void {
    if (end === 0) return;
    for (const line of buffer.toString('utf8', 0, end - 1).split('\n')) {
      this.lines++;
      if (line.trim() === '') continue;
      const record = parseStep(line);
      if (!record) {
        this.badLine ??= this.lines;
        continue;
      }
      if (this.badLine !== undefined) {
        throw new JsonlError(`${this.file}: line ${this.badLine} is not valid JSON (expected one record per line). The file is damaged.`);
      }
      this.push(record);
    }
  }

  private push(record: Record<Field, number>): void {
    if (this.length === this.columns.step.length) this.columns = grow(this.columns, this.length * 2);
    for (const field of STEP_FIELDS) this.columns[field][this.length] = record[field];
    this.length++;
  }
}

/** A step record's numbers (null, as JSON writes NaN, reads back as NaN); undefined for a line that is no record. */
function parseStep(text: string): Record<Field, number> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const raw = value as Record<string, unknown>;
  if (typeof raw.step !== 'number') return undefined;
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
