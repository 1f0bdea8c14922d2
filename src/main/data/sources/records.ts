/**
 * Reads a file as fixed-size records, a block at a time, so batch files of
 * any size stream through a small buffer.
 */
import { open } from 'node:fs/promises';

/** Calls `each` for every `recordBytes`-long record of the file, in order. */
export async function forEachRecord(
  path: string,
  recordBytes: number,
  each: (record: Buffer, index: number) => Promise<boolean | void>,
  options: { offset?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const perBlock = Math.max(1, Math.floor((4 * 1024 * 1024) / recordBytes));
  const block = Buffer.alloc(perBlock * recordBytes);
  const file = await open(path, 'r');
  try {
    let position = options.offset ?? 0;
    let index = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const { bytesRead } = await file.read(block, 0, block.length, position);
      if (bytesRead < recordBytes) return;
      position += bytesRead;
      for (let at = 0; at + recordBytes <= bytesRead; at += recordBytes) {
        if ((await each(block.subarray(at, at + recordBytes), index++)) === false) return;
      }
    }
  } finally {
    await file.close();
  }
}
