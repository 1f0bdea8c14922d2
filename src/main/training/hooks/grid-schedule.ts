/**
 * When a sample grid is drawn between epochs: after config.earlySampleSteps
 * and then whenever LIVE_GRID_SECONDS of training have passed since the last
 * grid — so on a CPU, where an epoch takes minutes, the live page's grid
 * still moves every few seconds. One decision per step, shared by the hooks
 * that must agree on it (the EMA statistics refresh before the grid).
 */

/** Seconds of training between live grids within an epoch. */
export const LIVE_GRID_SECONDS = 10;

/**
 * The interval: GAN_STUDIO_LIVE_GRID_SECONDS when set (0 turns timed grids
 * off: the test suite does, so a loaded machine draws no extra grids), else
 * LIVE_GRID_SECONDS.
 * @throws Error for a value that is not a number ≥ 0.
 */
export function liveGridSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['GAN_STUDIO_LIVE_GRID_SECONDS']?.trim();
  if (raw === undefined || raw === '') return LIVE_GRID_SECONDS;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`GAN_STUDIO_LIVE_GRID_SECONDS must be a number of seconds ≥ 0, got "${raw}"`);
  return value;
}

export interface GridSchedule {
  /** Whether a step grid is drawn after `step` (the same answer however often it is asked for that step). */
  due(step: number): boolean;
  /** An epoch grid was just drawn: the next live grid is a full interval away. */
  drew(): void;
}

/** `now`: a clock in ms (tests pass their own). */
export function gridSchedule(
  earlySteps: readonly number[],
  intervalSeconds = liveGridSeconds(),
  now: () => number = () => performance.now(),
): GridSchedule {
  let last = now();
  let decided: { step: number; due: boolean } | undefined;
  return {
    due(step) {
      if (decided?.step !== step) {
        const timed = intervalSeconds > 0 && now() - last >= intervalSeconds * 1000;
        decided = { step, due: earlySteps.includes(step) || timed };
        if (decided.due) last = now();
      }
      return decided.due;
    },
    drew() {
      last = now();
    },
  };
}
