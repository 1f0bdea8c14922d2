/**
 * Offset reads of fixed-size records from one file: the images of a batch,
 * wherever the shuffle put them, in one call. The reads run concurrently on
 * libuv's pool, and records that follow each other on disk in the order
 * asked are read as one (a sequential read becomes a few large ones). The
 * GPU host page swaps this module for one that asks the main process
 * (renderer/gpu-host/io/record-file.ts), which then calls readRecords here.
 */
import { open, type FileHandle } from 'node:fs/promises';

/** An open file of fixed-size records. */
export interface RecordFile {
  /** `length` bytes at each byte offset of `offsets`, packed in the order asked. */
  read(offsets: readonly number[], length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** The most one read call asks for (a run of adjacent records is split into reads this size). */
const MAX_READ_BYTES = 8 * 1024 * 1024;

/** Opens `path` for record reads. */
export async function openRecordFile(path: string): Promise<RecordFile> {
  const handle = await open(path, 'r');
  return { read: (offsets, length) => readRecords(handle, offsets, length), close: () => handle.close() };
}

/** One read: `bytes` from file offset `from` into the output at `at`. */
interface Span {
  from: number;
  at: number;
  bytes: number;
}

/** Reads `length` bytes at each offset into one packed array; throws when the file ends early. */
export async function readRecords(handle: Pick<FileHandle, 'read'>, offsets: readonly number[], length: number): Promise<Uint8Array> {
  const out = new Uint8Array(offsets.length * length);
  await Promise.all(spans(offsets, length).map((span) => readSpan(handle, out, span)));
  return out;
}

/** Adjacent records (each starting where the one asked before it ends) merged, up to MAX_READ_BYTES a read. */
function spans(offsets: readonly number[], length: number): Span[] {
  const result: Span[] = [];
  let last: Span | undefined;
  offsets.forEach((from, i) => {
    if (last && last.from + last.bytes === from && last.bytes + length <= MAX_READ_BYTES) last.bytes += length;
    else result.push((last = { from, at: i * length, bytes: length }));
  });
  return result;
}

async function readSpan(handle: Pick<FileHandle, 'read'>, out: Uint8Array, span: Span): Promise<void> {
  let done = 0;
  while (done < span.bytes) {
    const { bytesRead } = await handle.read(out, span.at + done, span.bytes - done, span.from + done);
    if (bytesRead === 0) throw new Error(`expected ${span.bytes} bytes at offset ${span.from}, the file ends after ${span.from + done}`);
    done += bytesRead;
  }
}
