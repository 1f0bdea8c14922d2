/**
 * From "compare" to a verdict: does a variant beat its baseline on a score?
 * Each arm is one config trained with one or more seeds. An arm's number is
 * the mean over its seeds; its uncertainty is the standard error over seeds
 * (k ≥ 2), or the score's own std (e.g. KID over subsets) for a single seed.
 * A difference counts only when the two ±2·SE intervals do not overlap;
 * otherwise the sentence says "no clear difference". Pure functions (no Node
 * or DOM), shared by Compare and the evidence pack.
 */

/** One score of one run at one epoch, as scores.jsonl stores it. */
export interface ScoreEstimate {
  value: number;
  /** The score's own spread (std over subsets / bootstrap); 0 when it has none. */
  std: number;
  /** Sample size behind the value. */
  n: number;
}

/** The number that stands for an arm (one config, k seeds). */
export interface ArmSummary {
  name: string;
  mean: number;
  /** Standard error of `mean`: over seeds when k ≥ 2, else the run's own std. */
  standardError: number;
  seeds: number;
  /** Smallest sample size behind any of its runs. */
  n: number;
}

/** What a score is, as far as a verdict needs. */
export interface VerdictScore {
  label: string;
  direction: 'lower' | 'higher';
  /** Decimals to print. */
  digits: number;
}

export type VerdictKind = 'better' | 'worse' | 'no-clear-difference' | 'needs-seeds';

export interface Verdict {
  kind: VerdictKind;
  sentence: string;
}

/** Mean and standard error of one arm's per-seed estimates. */
export function summariseArm(name: string, estimates: ScoreEstimate[]): ArmSummary {
  if (estimates.length === 0) throw new Error(`summariseArm: expected at least one estimate for ${name}, got none.`);
  const k = estimates.length;
  const mean = estimates.reduce((sum, e) => sum + e.value, 0) / k;
  const n = Math.min(...estimates.map((e) => e.n));
  if (k === 1) return { name, mean, standardError: estimates[0]!.std, seeds: 1, n };
  const variance = estimates.reduce((sum, e) => sum + (e.value - mean) ** 2, 0) / (k - 1);
  return { name, mean, standardError: Math.sqrt(variance / k), seeds: k, n };
}

/** One plain sentence: does `variant` beat `baseline` on this score at this epoch? */
export function scoreVerdict(score: VerdictScore, epoch: number, variant: ArmSummary, baseline: ArmSummary): Verdict {
  const fmt = (arm: ArmSummary) => `${arm.mean.toFixed(score.digits)} ± ${(2 * arm.standardError).toFixed(score.digits)}`;
  const numbers = `${fmt(variant)} vs ${fmt(baseline)}`;
  const basis = `${score.direction} is better; ${seedsText(variant, baseline)}, n = ${Math.min(variant.n, baseline.n)} samples per run; ± is 2 standard errors`;
  const difference = variant.mean - baseline.mean;
  const variantBetter = score.direction === 'lower' ? difference < 0 : difference > 0;
  if (variant.standardError === 0 && baseline.standardError === 0) {
    return {
      kind: 'needs-seeds',
      sentence:
        `${variant.name} ${difference === 0 ? 'ties' : variantBetter ? 'leads' : 'trails'} ${baseline.name} on ${score.label} at epoch ${epoch}: ` +
        `${variant.mean.toFixed(score.digits)} vs ${baseline.mean.toFixed(score.digits)}, but one seed each gives no spread to judge by: repeat with seeds.`,
    };
  }
  const separated = Math.abs(difference) > 2 * (variant.standardError + baseline.standardError);
  if (!separated) {
    return { kind: 'no-clear-difference', sentence: `No clear difference on ${score.label} at epoch ${epoch}: ${variant.name} ${numbers} (${basis}).` };
  }
  return {
    kind: variantBetter ? 'better' : 'worse',
    sentence: `${variant.name} ${variantBetter ? 'beats' : 'is worse than'} ${baseline.name} on ${score.label} at epoch ${epoch}: ${numbers} (${basis}).`,
  };
}

function seedsText(variant: ArmSummary, baseline: ArmSummary): string {
  const plural = (k: number) => `${k} seed${k === 1 ? '' : 's'}`;
  return variant.seeds === baseline.seeds ? `${plural(variant.seeds)} each` : `${plural(variant.seeds)} vs ${plural(baseline.seeds)}`;
}
