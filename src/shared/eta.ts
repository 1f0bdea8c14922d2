/**
 * Time left in a run, the same way on the live page and in the CLI's
 * progress line: the remaining steps at the median time of the recent steps.
 * The median, not the mean or the rate since start, because a run's first
 * step carries the warm-up (kernel compilation, heap growth) and some steps
 * wait on a sample grid — one slow step must not make the estimate jump
 * (an hour at the first step, then 17 minutes). Pauses between epochs (the
 * score classifier's training, scoring) are shown as their own step instead.
 */

/** Steps the estimate needs: with fewer, one warm-up step would be half of it. */
export const ETA_MIN_STEPS = 3;
/** How many of the newest steps it looks at. */
export const ETA_WINDOW = 50;

/** The median of the newest ETA_WINDOW step times (ms), or undefined with fewer than ETA_MIN_STEPS. */
export function typicalStepMs(stepMs: readonly number[]): number | undefined {
  const recent = stepMs.slice(-ETA_WINDOW);
  if (recent.length < ETA_MIN_STEPS) return undefined;
  const sorted = [...recent].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Seconds left for `remainingSteps` at the typical recent step time, or undefined while it is not yet known. */
export function etaSeconds(stepMs: readonly number[], remainingSteps: number): number | undefined {
  const typical = typicalStepMs(stepMs);
  return typical === undefined ? undefined : (Math.max(0, remainingSteps) * typical) / 1000;
}
