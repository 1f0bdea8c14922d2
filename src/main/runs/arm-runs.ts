/**
 * A run's arm on disk: the run itself and every other run in its runs folder
 * on the same dataset with the same config except the seed ("Repeat with
 * seeds" makes them), with their scores. The evidence pack and
 * `gan-studio score --baseline` judge these arms.
 */
import { dirname } from 'node:path';
import type { RunRecord } from '../../shared/run';
import { armKey, type ArmRun } from '../../shared/score-arms';
import type { ScoresRecord } from '../../shared/scores';
import { listRuns } from './list-runs';
import { readRunScores } from './scores-file';

/**
 * `run` first, then its other seeds that have scores. `readScores` reads the run's own scores
 * (it must be readable); another seed whose scores cannot be read is left out.
 */
export async function readArmRuns(run: { dir: string; record: RunRecord }, readScores: (dir: string) => Promise<ScoresRecord[]> = readRunScores): Promise<ArmRun[]> {
  const key = armKey(run.record.config, run.record.dataset.id);
  const entries = await listRuns(dirname(run.dir)).catch(() => []);
  const armRun = (record: RunRecord, scores: ScoresRecord[]): ArmRun => ({ id: record.id, name: record.name, config: record.config, datasetId: record.dataset.id, scores });
  const others = await Promise.all(
    entries.flatMap(({ dir, record }) =>
      record && record.id !== run.record.id && armKey(record.config, record.dataset.id) === key
        ? [readScores(dir).then((scores) => armRun(record, scores), () => armRun(record, []))]
        : [],
    ),
  );
  return [armRun(run.record, await readScores(run.dir)), ...others.filter((other) => other.scores.length > 0)];
}
