/**
 * Pure helpers for a run's bounded history in the UI: which epochs a step
 * range spans (to ask getRunHistory for them), and merging what was fetched
 * on demand into the overview.
 */
import type { RunDetail, RunHistory, SampleRef } from '../../../shared/api';
import type { EpochMetrics } from '../../../shared/metrics';

/**
 * The epochs that cover steps `from`..`to`, judged from the epoch records at hand (an overview may
 * leave some out): from the last one ending before `from` to the first ending at or after `to`.
 */
export function epochRangeOfSteps(epochs: Pick<EpochMetrics, 'epoch' | 'step'>[], from: number, to: number): { from: number; to: number } {
  const before = [...epochs].reverse().find((e) => e.step < from);
  const after = epochs.find((e) => e.step >= to);
  return { from: before?.epoch ?? 0, to: after?.epoch ?? (epochs.at(-1)?.epoch ?? 0) + 1 };
}

/** `current` grids plus `more` (each once, by URL), in training order. */
export function mergeSamples(current: SampleRef[], more: SampleRef[]): SampleRef[] {
  const known = new Set(current.map((sample) => sample.url));
  const added = more.filter((sample) => !known.has(sample.url));
  if (added.length === 0) return current;
  // Stable: at an equal step the grid already listed (an early-step grid) stays first.
  return [...current, ...added].sort((a, b) => a.step - b.step || a.epoch - b.epoch);
}

/** True when getRun's overview left some of the run's grids or scores out (a long run). */
export function historyCut(detail: RunDetail): boolean {
  return detail.sampleCount > detail.samples.length || detail.scoreCount > detail.scores.length || detail.epochCount > detail.epochs.length;
}

/** `detail` with an epoch range's records (getRunHistory) merged in: each record once, in order. */
export function mergeHistory(detail: RunDetail, history: RunHistory): RunDetail {
  const byEpoch = <T extends { epoch: number }>(current: T[], more: T[]): T[] => {
    const known = new Set(current.map((record) => record.epoch));
    const added = more.filter((record) => !known.has(record.epoch));
    return added.length === 0 ? current : [...current, ...added].sort((a, b) => a.epoch - b.epoch);
  };
  return {
    ...detail,
    epochs: byEpoch(detail.epochs, history.epochs),
    samples: mergeSamples(detail.samples, history.samples),
    scores: byEpoch(detail.scores, history.scores),
  };
}

/**
 * `list` with, for each run whose overview left records out, every record within `window` epochs
 * of epoch `at` merged in (`fetch`: getRunHistory); each run and epoch is fetched once (`fetched`
 * remembers them), and a run whose fetch fails keeps its overview. Unchanged runs stay the same objects.
 */
export function withRecordsAround(
  list: RunDetail[],
  at: number,
  fetch: (runId: string, fromEpoch: number, toEpoch: number) => Promise<RunHistory>,
  fetched: Set<string>,
  window = 100,
): Promise<RunDetail[]> {
  return Promise.all(
    list.map(async (detail) => {
      const key = `${detail.run.id}:${at}`;
      if (!historyCut(detail) || fetched.has(key)) return detail;
      fetched.add(key);
      return fetch(detail.run.id, Math.max(0, at - window), at + window).then(
        (history) => mergeHistory(detail, history),
        () => detail,
      );
    }),
  );
}
