/**
 * The one place that says which epoch a run is at and whether it is live, so
 * the run page, the Runs list and Compare never disagree.
 */
import { plural } from '../../../shared/plural';
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

/**
 * As every view writes it: "epoch 4 / 50" while training (the epoch in progress), "3 of 50 epochs
 * done" otherwise. The words differ because the numbers count different things: stopping in
 * epoch 4 must not read as going back from "epoch 4" to "epoch 3".
 */
export function epochLabel(run: EpochSource, newestStepEpoch?: number): string {
  if (isActive(run.status)) return `epoch ${displayEpoch(run, newestStepEpoch)} / ${run.config.epochs}`;
  return `${run.epoch} of ${plural(run.config.epochs, 'epoch')} done`;
}

/** The step to show: the newest the page has seen, from the steps, run.json or a sample grid (a grid after step 1 means step 1 is done). */
export function shownStep(runStep: number, newestStep?: number, newestGridStep?: number): number {
  return Math.max(runStep, newestStep ?? 0, newestGridStep ?? 0);
}
