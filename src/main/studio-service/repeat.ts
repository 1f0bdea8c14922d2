/**
 * "Repeat with seeds": k more runs of a run's config, each with a seed no run
 * of that config (on that dataset) has used, same everything else, trained
 * one after another (the run queue). Seeds matter in GANs: the verdict compares the mean and
 * spread over seeds, not one lucky run.
 */
import { armKey, nextSeeds } from '../../shared/score-arms';
import { createRunDir, listRuns } from '../runs';
import type { RunRecord } from '../../shared/run';
import type { TrainingConfig } from '../../shared/config';

/** Name and config of each repeat of `source`, given every run in the runs folder. */
export function planRepeats(source: RunRecord, all: RunRecord[], count: number): { name: string; config: TrainingConfig }[] {
  const key = armKey(source.config, source.dataset.id);
  const taken = all.filter((record) => armKey(record.config, record.dataset.id) === key).map((record) => record.config.seed);
  // A name that already says "· seed N" (a repeat of a repeat) is not stacked.
  const base = source.name.replace(/ · seed \d+$/, '');
  return nextSeeds(source.config.seed, [source.config.seed, ...taken], count).map((seed) => ({
    name: `${base} · seed ${seed}`,
    config: { ...source.config, seed },
  }));
}

/** Create the repeats' run folders (not started): seeds no run of the source's config has used. */
export async function createRepeats(runsRoot: string, source: RunRecord, count: number): Promise<RunRecord[]> {
  const all = (await listRuns(runsRoot)).flatMap((entry) => (entry.record ? [entry.record] : []));
  const created: RunRecord[] = [];
  for (const plan of planRepeats(source, all, count)) created.push((await createRunDir(runsRoot, { ...plan, dataset: source.dataset })).record);
  return created;
}

/**
 * Start `runIds` in order. The RunManager trains as many runs at once as it has slots (one on a
 * CPU machine) and queues the rest, first started first trained, so repeats train one after
 * another. A run that cannot start is passed to `onFailed` and the others still start.
 */
export async function startInOrder(
  runIds: string[],
  runs: { start(runId: string, options: { resume: boolean }): Promise<void> },
  onFailed: (runId: string, error: Error) => Promise<void>,
): Promise<void> {
  for (const runId of runIds) {
    try {
      await runs.start(runId, { resume: false });
    } catch (error) {
      await onFailed(runId, error as Error);
    }
  }
}
