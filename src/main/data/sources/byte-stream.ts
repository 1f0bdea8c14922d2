/**
 * Sequential reads of exact byte counts from a file that may be gzipped
 * (detected by its magic bytes), without holding the whole file in memory.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
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

export class ByteStream {
  private readonly iterator: AsyncIterator<Buffer>;
  private carry: Buffer = Buffer.alloc(0);
  /** Bytes handed out so far (after decompression). */
  consumed = 0;

  private constructor(
    private readonly label: string,
    stream: NodeJS.ReadableStream,
  ) {
    this.iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  /** Opens `path`, gunzipping on the fly when it is gzip-compressed. */
  static async open(path: string, label: string, signal?: AbortSignal): Promise<ByteStream> {
    const raw = createReadStream(path, { signal });
    if (!(await isGzipFile(path))) return new ByteStream(label, raw);
    const gunzip = createGunzip();
    raw.on('error', (error) => gunzip.destroy(error));
    return new ByteStream(label, raw.pipe(gunzip));
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
    this.carry = this.carry.length ? Buffer.concat([this.carry, next.value]) : next.value;
    return true;
  }

  /** Exactly `n` bytes, or null when the data ends first. */
  async read(n: number): Promise<Buffer | null> {
    while (this.carry.length < n) {
      if (!(await this.pull())) return null;
    }
    const out = this.carry.subarray(0, n);
    this.carry = this.carry.subarray(n);
    this.consumed += n;
    return out;
  }

  /** True when no bytes remain. */
  async atEnd(): Promise<boolean> {
    return this.carry.length === 0 && !(await this.pull());
  }

  /** Stops reading early and releases the file. */
  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}
