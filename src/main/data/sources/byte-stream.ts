/**
 * Sequential reads of exact byte counts from a file that may be gzipped
 * (detected by its magic bytes), without holding the whole file in memory.
 */
import { createReadStream } from 'node:fs';
import type { ReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Gunzip } from 'node:zlib';
import { DatasetError } from '../errors';

/** True when the file starts with the gzip magic bytes 1f 8b. */
export async function isGzipFile(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await file.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await file.close();
  }
}

/**
 * Reads exact byte counts from a stream of chunks. Chunks wait in a list and
 * each read copies its bytes once, so reading a record spread over many
 * chunks costs its length (concatenating onto one growing buffer per chunk
 * was quadratic: one 8000×8000 gzipped IDX image took two minutes).
 */
export class ByteStream {
  private readonly iterator: AsyncIterator<Buffer>;
  private chunks: Buffer[] = [];
  /** Index of the first chunk not yet used up (the list is compacted now and then, not shifted per chunk). */
  private first = 0;
  /** Bytes of chunks[first] already handed out. */
  private head = 0;
  /** Bytes waiting in `chunks` (after `head`). */
  private buffered = 0;
  /** Bytes handed out so far (after decompression). */
  consumed = 0;

  private constructor(
    private readonly label: string,
    /** True when the file is gzip-compressed (its bytes are inflated as they are read). */
    readonly gzipped: boolean,
    /** The file stream first, then the gunzip stream reading from it (if any): all are destroyed on close. */
    private readonly streams: (ReadStream | Gunzip)[],
  ) {
    this.iterator = (streams.at(-1)! as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  /** Opens `path`, gunzipping on the fly when it is gzip-compressed. */
  static async open(path: string, label: string, signal?: AbortSignal): Promise<ByteStream> {
    // Asked before the file stream exists: a stream made first could fail (an abort) with no listener yet.
    const gzipped = await isGzipFile(path);
    const raw = createReadStream(path, { signal });
    if (!gzipped) return new ByteStream(label, false, [raw]);
    const gunzip = createGunzip();
    raw.on('error', (error) => gunzip.destroy(error));
    return new ByteStream(label, true, [raw, raw.pipe(gunzip)]);
  }

  private async pull(): Promise<boolean> {
    let next: IteratorResult<Buffer>;
    try {
      next = await this.iterator.next();
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') throw error;
      const detail = error instanceof Error ? error.message : String(error);
      throw new DatasetError(`${this.label} could not be read: ${detail}.`, 'The file is damaged or not the format its name says; download it again.');
    }
    if (next.done) return false;
    if (next.value.length > 0) {
      this.chunks.push(next.value);
      this.buffered += next.value.length;
    }
    return true;
  }

  /** Exactly `n` bytes, or null when the data ends first. */
  async read(n: number): Promise<Buffer | null> {
    while (this.buffered < n) {
      if (!(await this.pull())) return null;
    }
    this.buffered -= n;
    this.consumed += n;
    const current = this.chunks[this.first];
    // The common case, a record inside one chunk, needs no copy.
    if (current && current.length - this.head >= n) return this.take(current, n);
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[this.first]!;
      const part = this.take(chunk, Math.min(n - filled, chunk.length - this.head));
      part.copy(out, filled);
      filled += part.length;
    }
    return out;
  }

  /** The next `n` bytes of `chunk` (chunks[first]), moving past it once used up. */
  private take(chunk: Buffer, n: number): Buffer {
    const part = chunk.subarray(this.head, this.head + n);
    this.head += n;
    if (this.head === chunk.length) {
      this.head = 0;
      this.first++;
      if (this.first === this.chunks.length || (this.first >= 1024 && this.first * 2 >= this.chunks.length)) {
        this.chunks = this.chunks.slice(this.first);
        this.first = 0;
      }
    }
    return part;
  }

  /** True when no bytes remain. */
  async atEnd(): Promise<boolean> {
    while (this.buffered === 0) {
      if (!(await this.pull())) return true;
    }
    return false;
  }

  /**
   * Stops reading (early, at the end or after an error) and releases the file. Ending the
   * gunzip stream alone would leave the file stream paused and open: its descriptor leaked.
   */
  async close(): Promise<void> {
    await this.iterator.return?.();
    for (const stream of this.streams) stream.destroy();
  }
}
