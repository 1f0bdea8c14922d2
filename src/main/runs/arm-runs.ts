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
import { readRunJsonl } from './run-dir';

/** A run's scores and the notes on damaged lines that were skipped. */
export type ScoresReader = (dir: string) => Promise<{ records: ScoresRecord[]; notes: string[] }>;

const readRunScores: ScoresReader = async (dir) => {
  const { records, note } = await readRunJsonl(dir, 'scores');
  return { records, notes: note ? [note] : [] };
};

/**
 * `run` first, then its other seeds that have scores, and the run's own damage notes. `readScores`
 * reads the run's own scores (they must be readable); another seed whose scores cannot be read is left out.
 */
export async function readArmRuns(run: { dir: string; record: RunRecord }, readScores: ScoresReader = readRunScores): Promise<{ runs: ArmRun[]; notes: string[] }> {
  const key = armKey(run.record.config, run.record.dataset.id);
  const entries = await listRuns(dirname(run.dir)).catch(() => []);
  const armRun = (record: RunRecord, scores: ScoresRecord[]): ArmRun => ({ id: record.id, name: record.name, config: record.config, datasetId: record.dataset.id, scores });
  const others = await Promise.all(
    entries.flatMap(({ dir, record }) =>
      record && record.id !== run.record.id && armKey(record.config, record.dataset.id) === key
        ? [readScores(dir).then(({ records }) => armRun(record, records), () => armRun(record, []))]
        : [],
    ),
  );
  const own = await readScores(run.dir);
  return { runs: [armRun(run.record, own.records), ...others.filter((other) => other.scores.length > 0)], notes: own.notes };
}
