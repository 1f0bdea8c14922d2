/**
 * JSON-lines files (metrics.jsonl, epochs.jsonl, scores.jsonl): appended one
 * record per line as training goes, read back leniently. A process killed
 * mid-write can leave a torn last line; readers ignore it and the next
 * appender cuts it off. A damaged line anywhere else (a disk error, a bad
 * edit) is skipped and counted, never allowed to hide the good records around
 * it: readers return every good record plus the damage, and the studio shows
 * the damage as a note beside the run.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic';

/** Damaged lines of one file: how many, and the first few line numbers (1-based). */
export interface JsonlDamage {
  count: number;
  lines: number[];
}

/** A file's good records and, when some lines were not records, the damage. */
export interface JsonlRead<T> {
  records: T[];
  damage?: JsonlDamage;
}

/** What a line must parse to: by default any JSON object (a bare number or string on a line is damage too). */
export type RecordCheck = (value: unknown) => boolean;

export const isObject: RecordCheck = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** How many damaged line numbers a note lists before "and N more". */
const LISTED_LINES = 5;

/**
 * Counts damaged lines as a file is read line by line. A line that is not
 * JSON is only damage once a later line shows it was not the torn tail of a
 * write cut off by a kill (which is no damage: the next appender removes it);
 * JSON that is no record cannot be a torn write, so it is damage at once.
 */
export class DamageTally {
  private pending: number | undefined;
  private count = 0;
  private readonly lines: number[] = [];

  /** Line `line` (1-based) is not a record; `notJson`: it does not even parse (so it may be a torn tail). */
  bad(line: number, notJson: boolean): void {
    this.settle();
    if (notJson) this.pending = line;
    else this.confirm(line);
  }

  /** A good record followed. */
  good(): void {
    this.settle();
  }

  get damage(): JsonlDamage | undefined {
    return this.count === 0 ? undefined : { count: this.count, lines: [...this.lines] };
  }

  private settle(): void {
    if (this.pending === undefined) return;
    this.confirm(this.pending);
    this.pending = undefined;
  }

  private confirm(line: number): void {
    this.count++;
    if (this.lines.length < LISTED_LINES) this.lines.push(line);
  }
}

/** Every good record of JSON-lines text, and the damaged lines skipped (a torn last line is dropped silently). */
export function parseJsonl<T>(text: string, isRecord: RecordCheck = isObject): JsonlRead<T> {
  const records: T[] = [];
  const tally = new DamageTally();
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const parsed = parseLine(line, isRecord);
    if ('record' in parsed) {
      tally.good();
      records.push(parsed.record as T);
    } else tally.bad(index + 1, parsed.notJson);
  }
  const damage = tally.damage;
  return damage ? { records, damage } : { records };
}

/** The record on one line, or what is wrong with it: not JSON at all, or JSON that fails `isRecord`. */
export function parseLine(line: string, isRecord: RecordCheck = isObject): { record: unknown } | { notJson: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { notJson: true };
  }
  return isRecord(value) ? { record: value } : { notJson: false };
}

/** Read every good record of a JSON-lines file (a missing file reads as empty) and its damage. */
export async function readJsonl<T>(file: string, isRecord: RecordCheck = isObject): Promise<JsonlRead<T>> {
  return parseJsonl<T>(await readTextOrEmpty(file), isRecord);
}

/**
 * Rewrite a JSON-lines file keeping the good records `keep` accepts (atomic). Damaged lines are
 * dropped (the good records after them are kept) and returned as the damage.
 */
export async function filterJsonl<T>(file: string, keep: (record: T) => boolean, isRecord: RecordCheck = isObject): Promise<{ kept: T[]; damage?: JsonlDamage }> {
  const { records, damage } = parseJsonl<T>(await readTextOrEmpty(file), isRecord);
  const kept = records.filter(keep);
  await writeFileAtomic(file, kept.map((record) => JSON.stringify(record) + '\n').join(''));
  return damage ? { kept, damage } : { kept };
}

/**
 * The note a user sees for a damaged file, e.g. "metrics.jsonl: line 101 is damaged and was
 * skipped (1,999 good records kept)." `verb`: what happened to the lines ("skipped" when
 * read, "removed" when the file was rewritten without them).
 */
export function describeJsonlDamage(name: string, damage: JsonlDamage, goodRecords: number, verb: 'skipped' | 'removed' = 'skipped'): string {
  const kept = `${goodRecords.toLocaleString('en-US')} good record${goodRecords === 1 ? '' : 's'} kept`;
  if (damage.count === 1) return `${name}: line ${damage.lines[0]!.toLocaleString('en-US')} is damaged and was ${verb} (${kept}).`;
  const listed = damage.lines.map((line) => line.toLocaleString('en-US'));
  const more = damage.count - damage.lines.length;
  const lines = more > 0 ? `${listed.join(', ')} and ${more.toLocaleString('en-US')} more` : `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}`;
  return `${name}: ${damage.count.toLocaleString('en-US')} damaged lines were ${verb} (lines ${lines}; ${kept}).`;
}

async function readTextOrEmpty(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
