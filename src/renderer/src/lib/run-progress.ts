/**
 * The one place that says which epoch a run is at and whether it is live, so
 * the run page, the Runs list and Compare never disagree.
 */
import type { RunStatus } from '../../../shared/run';

/** What the epoch label needs of a run. */
export interface EpochSource {
  status: RunStatus;
  /** Complete epochs (run.json's `epoch`). */
  epoch: number;
  config: { epochs: number };
}

/** True while a trainer holds the run (it may still change); any other status, "damaged" included, is not. */
export function isActive(status: RunStatus | 'damaged'): boolean {
  return status === 'running' || status === 'paused';
}

/**
 * The epoch to show: while training, the epoch in progress (complete + 1, or
 * the epoch of the newest step seen, capped at the total); otherwise the
 * complete epochs, because a stopped run resumes from its last complete one.
 */
export function displayEpoch(run: EpochSource, newestStepEpoch?: number): number {
  if (!isActive(run.status)) return run.epoch;
  return Math.min(run.config.epochs, Math.max(run.epoch + 1, newestStepEpoch ?? 0));
}

/** "epoch 3 / 50" as every view writes it. */
export function epochLabel(run: EpochSource, newestStepEpoch?: number): string {
  return `epoch ${displayEpoch(run, newestStepEpoch)} / ${run.config.epochs}`;
}
