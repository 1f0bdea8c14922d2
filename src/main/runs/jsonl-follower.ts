/**
 * A JSON-lines file followed as it grows: read by streaming in small chunks,
 * then kept up to date by reading only what was appended since. Each good
 * record goes to a sink (a columnar index, a counter); damaged lines are
 * tallied, never fatal. A file that was replaced or cut (a resume rewrites
 * metrics.jsonl) is read again from the start.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { DamageTally, parseLine, type JsonlDamage, type RecordCheck } from './jsonl';

const CHUNK_BYTES = 64 * 1024;

/**
 * One chunk is parsed at a time across every file being followed, then the
 * event loop gets a turn: ten long runs opened at once take turns, and any
 * other request waits at most about one chunk's parse (a few ms).
 */
let turns: Promise<unknown> = Promise.resolve();
function inTurn<T>(work: () => T): Promise<T> {
  const result = turns.then(work);
  turns = result.then(nextLoopTurn, nextLoopTurn);
  return result;
}
const nextLoopTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Where a follower's records go. */
export interface RecordSink {
  /** A good record (checked by the follower's RecordCheck). */
  record(value: unknown): void;
  /** The file is read again from the start: forget every record. */
  reset(): void;
}

export class JsonlFollower {
  /** Bytes of the file consumed (complete lines only) and the file identity they came from. */
  private offset = 0;
  private inode = -1;
  private lines = 0;
  private good = 0;
  private tally = new DamageTally();
  private refreshing: Promise<void> | undefined;

  constructor(
    readonly file: string,
    private readonly isRecord: RecordCheck,
    private readonly sink: RecordSink,
  ) {}

  /** Good records read so far. */
  get records(): number {
    return this.good;
  }

  /** The damaged lines met so far (a torn last line is not counted until a line follows it). */
  get damage(): JsonlDamage | undefined {
    return this.tally.damage;
  }

  /** Read whatever was appended since the last call (everything, when the file was replaced or cut). */
  refresh(): Promise<void> {
    this.refreshing ??= this.readNew()
      .catch((error: unknown) => {
        // Half-read records must not stay behind an unreadable file: the next call starts over.
        this.reset(-1);
        throw error;
      })
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private reset(inode: number): void {
    this.offset = 0;
    this.lines = 0;
    this.good = 0;
    this.tally = new DamageTally();
    this.inode = inode;
    this.sink.reset();
  }

  private async readNew(): Promise<void> {
    let info;
    try {
      info = await stat(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return this.reset(-1);
    }
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
      const parsed = parseLine(line, this.isRecord);
      if (!('record' in parsed)) {
        this.tally.bad(this.lines, parsed.notJson);
        continue;
      }
      this.tally.good();
      this.good++;
      this.sink.record(parsed.record);
    }
  }
}
