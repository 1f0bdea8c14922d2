/**
 * The Runs list in groups whose quality scores share one scale: one group per
 * dataset cache (the dataset at one image size, with its own score
 * classifier). Scores of different groups — tiny's 16×16 FID and quick's
 * 28×28 FID — are never set side by side as if comparable. Pure.
 */
import type { RunSummary } from '../../../shared/api';
import { PRESETS } from '../../../shared/preset-catalog';

export interface RunGroup {
  /** The dataset cache id. */
  key: string;
  /** "Fashion-MNIST (test set) at 16×16". */
  label: string;
  runs: RunSummary[];
}

/** Groups in order of their first run in `runs` (the list is newest first); runs keep their order. */
export function groupRunsByScale(runs: RunSummary[]): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  for (const run of runs) {
    const group = groups.get(run.dataset.id);
    if (group) group.runs.push(run);
    else {
      const size = PRESETS[run.config.preset]?.imageSize;
      groups.set(run.dataset.id, { key: run.dataset.id, label: size ? `${run.dataset.name} at ${size}×${size}` : run.dataset.name, runs: [run] });
    }
  }
  return [...groups.values()];
}
