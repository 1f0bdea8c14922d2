/**
 * scores.jsonl: one ScoresRecord per scored epoch (written by the trainer's
 * score hook), read back checked against the shared schema.
 */
import { join } from 'node:path';
import type { ScoresRecord } from '../../shared/scores';
import { scoresRecordSchema } from '../../shared/scores';
import { readJsonl } from './jsonl';
import { RUN_FILES, RunDirError } from './run-dir';

/** Every complete score record of a run, in epoch order (a missing file reads as none). */
export async function readRunScores(dir: string): Promise<ScoresRecord[]> {
  const file = join(dir, RUN_FILES.scores);
  const records = await readJsonl<unknown>(file);
  return records.map((raw, index) => {
    const parsed = scoresRecordSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RunDirError(`${file}: record ${index + 1} is not a score record (${issue?.path.join('.') || 'record'}: ${issue?.message}). Fix that line or restore the file from a backup to read the scores; the run's metrics, samples and checkpoints are untouched.`);
    }
    return parsed.data;
  });
}
