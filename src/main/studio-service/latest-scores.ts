/**
 * The newest record of a run's scores.jsonl for the run list, read from the
 * file's tail: listing runs must not cost more as runs grow long (one line
 * per scored epoch, each a few hundred bytes).
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { scoresRecordSchema, type ScoresRecord } from '../../shared/scores';
import { RUN_FILES } from '../runs';

/** Bytes read from the end: many times one record's size. */
const TAIL_BYTES = 16 * 1024;

/** The last complete, valid score record, or null when there is none (no file or none yet); getRun reports damage. */
export async function readLatestScores(runDir: string): Promise<ScoresRecord | null> {
  let handle;
  try {
    handle = await open(join(runDir, RUN_FILES.scores), 'r');
  } catch {
    return null;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    // Newest first; a torn last line (a trainer killed mid-write) is skipped for the one before it.
    const lines = buffer.toString('utf8').split('\n').filter((line) => line.trim() !== '').reverse();
    for (const line of lines) {
      try {
        const parsed = scoresRecordSchema.safeParse(JSON.parse(line));
        if (parsed.success) return parsed.data;
      } catch {
        // Not JSON: a torn line, or the cut-off first line of the tail.
      }
    }
    return null;
  } finally {
    await handle.close();
  }
}
