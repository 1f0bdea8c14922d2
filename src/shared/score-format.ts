/**
 * How a score is printed, the same everywhere (live view, Runs, Compare,
 * CSV-free text, evidence pack): decimals chosen from the size of the numbers,
 * the spec's unit, and always the sample size. Pure (no Node or DOM).
 */
import type { ScoreSpec, ScoreValue } from './scores';

/** Decimals that keep 2–3 significant digits for the largest of `values` (FID 41.2, KID 0.012, 62.5 %). */
export function scoreDigits(values: number[]): number {
  const largest = Math.max(0, ...values.filter(Number.isFinite).map(Math.abs));
  if (largest >= 10) return 1;
  if (largest >= 1) return 2;
  if (largest === 0) return 1;
  if (largest >= 0.01) return 3;
  return 4;
}

/** "41.2", "62.5%" (no std, no n: for tight spots that show n elsewhere). */
export function formatScoreNumber(spec: Pick<ScoreSpec, 'unit'>, value: number, digits = scoreDigits([value])): string {
  return `${value.toFixed(digits)}${spec.unit}`;
}

/**
 * The studio's one ± convention, said wherever one run's numbers are printed: every ± is one
 * standard deviation — here the score's own spread at its sample size; over seeds for an arm
 * (verdictRuleText says that half).
 */
export const RUN_SPREAD_NOTE = '± is one standard deviation of the score at its sample size; other seeds vary more, so judge a change over seeds.';

/** "41.2 ± 0.8 (n = 500)": the value, its std when it has one, and the sample size. */
export function formatScoreValue(spec: Pick<ScoreSpec, 'unit'>, score: ScoreValue): string {
  const digits = scoreDigits([score.value]);
  const spread = score.std > 0 ? ` ± ${score.std.toFixed(digits)}` : '';
  return `${score.value.toFixed(digits)}${spread}${spec.unit} (n = ${score.n})`;
}
