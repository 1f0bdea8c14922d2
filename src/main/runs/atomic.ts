/**
 * Atomic file writes: write a sibling temp file, flush it, then rename it over
 * the target. A process killed at any instant leaves either the old file or
 * the new one, never a torn mix (rename is atomic within one filesystem).
 */
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** A temp path next to `target` (same folder, so the rename stays on one filesystem). */
export function tempPathFor(target: string): string {
  counter += 1;
  return join(dirname(target), `.tmp-${basename(target)}-${process.pid}-${counter}`);
}

/** Write `data` to `target` atomically (temp file + fsync + rename). */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(target);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    // fsync so a power loss right after the rename cannot expose an empty file.
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, target);
}

/** Write a value as pretty JSON, atomically. */
export async function writeJsonAtomic(target: string, value: unknown): Promise<void> {
  await writeFileAtomic(target, JSON.stringify(value, null, 2) + '\n');
}
