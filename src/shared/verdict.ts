/**
 * From "compare" to a verdict: does a variant beat its baseline on the
 * scores? Each arm is one config trained with several seeds, and what decides
 * is the spread BETWEEN seeds, not one run's sampling error:
 *
 * - with at least `minSeeds` (3) seeds in both arms, each score gets Welch's
 *   t-test over the per-seed values, and Holm's correction over the scores
 *   tested together (six at once would otherwise cross by chance); a score
 *   whose adjusted p ≤ α (0.05) is "beats" / "is worse than", else "no clear
 *   difference";
 * - with fewer seeds there is no verdict: the sentence says which way the
 *   numbers lean and asks for more seeds.
 *
 * Every ± printed here is one standard deviation (over seeds for an arm).
 * docs/scores.md states the rule and the measured false-positive rate. Pure
 * functions (no Node or DOM), shared by Compare, the evidence pack and the CLI.
 */
import { holmAdjust, meanVariance, welchTTest } from './stats';

/** One score of one run at one epoch, as scores.jsonl stores it. */
export interface ScoreEstimate {
  value: number;
  /** The score's own spread at its sample size; not used by the verdict (seeds decide). */
  std: number;
  /** Sample size behind the value. */
  n: number;
}

/** The numbers that stand for an arm (one config, k seeds) on one score. */
export interface ArmSummary {
  name: string;
  /** Mean over seeds. */
  mean: number;
  /** Standard deviation over seeds (0 for a single seed). */
  std: number;
  seeds: number;
  /** Each seed's value, in run order. */
  values: number[];
  /** Smallest sample size behind any of its runs. */
  n: number;
}

/** What a score is, as far as a verdict needs. */
export interface VerdictScore {
  label: string;
  direction: 'lower' | 'higher';
  /** Decimals to print. */
  digits: number;
  unit?: '' | '%';
}

/** When a difference counts. */
export interface VerdictRule {
  /** Seeds each arm needs before a score is tested at all. */
  minSeeds: number;
  /** Family-wise error rate over the scores tested together (Holm). */
  alpha: number;
}

export const DEFAULT_VERDICT_RULE: VerdictRule = { minSeeds: 3, alpha: 0.05 };

/** better/worse: tested and significant; no-clear-difference: tested, not; leans: too few seeds to test. */
export type VerdictKind = 'better' | 'worse' | 'no-clear-difference' | 'leans';

/** The test behind a tested verdict. */
export interface SeedTest {
  t: number;
  df: number;
  p: number;
  /** Holm-adjusted over `family` scores. */
  pAdjusted: number;
  family: number;
}

export interface Verdict {
  kind: VerdictKind;
  sentence: string;
  test?: SeedTest;
}

/** One score of a variant arm against the baseline arm. */
export interface ScoreComparison {
  score: VerdictScore;
  variant: ArmSummary;
  baseline: ArmSummary;
}

/** Mean and spread over seeds of one arm's per-seed estimates. */
export function summariseArm(name: string, estimates: ScoreEstimate[]): ArmSummary {
  if (estimates.length === 0) throw new Error(`summariseArm: expected at least one estimate for ${name}, got none.`);
  const values = estimates.map((e) => e.value);
  const { mean, variance } = meanVariance(values);
  return { name, mean, std: Math.sqrt(variance), seeds: values.length, values, n: Math.min(...estimates.map((e) => e.n)) };
}

/**
 * Verdicts for every score of one variant against the baseline at `epoch`:
 * the scores where both arms have `rule.minSeeds` seeds are tested together
 * (Welch per score, Holm over them); the others only lean. Same order as given.
 */
export function judgeScores(comparisons: ScoreComparison[], epoch: number, rule: VerdictRule = DEFAULT_VERDICT_RULE): Verdict[] {
  const tested = comparisons.map((c) => c.variant.seeds >= rule.minSeeds && c.baseline.seeds >= rule.minSeeds);
  const tests = comparisons.map((c, i) => (tested[i] ? welchTTest(c.variant.values, c.baseline.values) : undefined));
  const family = tests.filter((test) => test !== undefined);
  const adjusted = holmAdjust(family.map((test) => test.p));
  let next = 0;
  return comparisons.map((comparison, i) => {
    const test = tests[i];
    if (!test) return { kind: 'leans', sentence: leanSentence(comparison, epoch, rule) };
    const seedTest: SeedTest = { t: test.t, df: test.df, p: test.p, pAdjusted: adjusted[next++]!, family: family.length };
    const kind = seedTest.pAdjusted > rule.alpha ? 'no-clear-difference' : isBetter(comparison, test.difference) ? 'better' : 'worse';
    return { kind, sentence: testedSentence(kind, comparison, epoch, seedTest, rule), test: seedTest };
  });
}

function isBetter({ score }: ScoreComparison, difference: number): boolean {
  return score.direction === 'lower' ? difference < 0 : difference > 0;
}

/** "41.2 ± 1.3" (mean ± std over seeds), or "41.2" for a single seed. */
function armNumber(score: VerdictScore, arm: ArmSummary): string {
  const unit = score.unit ?? '';
  const mean = `${arm.mean.toFixed(score.digits)}${unit}`;
  return arm.seeds > 1 ? `${mean} ± ${arm.std.toFixed(score.digits)}${unit}` : mean;
}

function seedsText(variant: ArmSummary, baseline: ArmSummary): string {
  const plural = (k: number) => `${k} seed${k === 1 ? '' : 's'}`;
  const counts = variant.seeds === baseline.seeds ? `${plural(variant.seeds)} each` : `${plural(variant.seeds)} vs ${plural(baseline.seeds)}`;
  return variant.seeds > 1 || baseline.seeds > 1 ? `mean ± std over ${counts}` : counts;
}

/** "p = 0.012", "p < 0.001". */
export function formatP(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${Number(p.toPrecision(2))}`;
}

function testedSentence(kind: VerdictKind, c: ScoreComparison, epoch: number, test: SeedTest, rule: VerdictRule): string {
  const { score, variant, baseline } = c;
  const basis =
    `${seedsText(variant, baseline)}; ${score.direction} is better; Welch's t-test ${formatP(test.p)}, ` +
    `Holm-adjusted over ${test.family} score${test.family === 1 ? '' : 's'} ${formatP(test.pAdjusted)}${kind === 'no-clear-difference' ? ` > ${rule.alpha}` : ''}`;
  const numbers = `${armNumber(score, variant)} vs ${armNumber(score, baseline)}`;
  if (kind === 'no-clear-difference') {
    return `No clear difference on ${score.label} at epoch ${epoch}: ${variant.name} ${armNumber(score, variant)} vs ${baseline.name} ${armNumber(score, baseline)} (${basis}).`;
  }
  return `${variant.name} ${kind === 'better' ? 'beats' : 'is worse than'} ${baseline.name} on ${score.label} at epoch ${epoch}: ${numbers} (${basis}).`;
}

function leanSentence(c: ScoreComparison, epoch: number, rule: VerdictRule): string {
  const { score, variant, baseline } = c;
  const difference = variant.mean - baseline.mean;
  const lean = difference === 0 ? `ties with ${baseline.name} on ${score.label}` : `leans ${difference < 0 ? 'lower' : 'higher'} on ${score.label} than ${baseline.name}`;
  return (
    `${variant.name} ${lean} at epoch ${epoch}: ${armNumber(score, variant)} vs ${armNumber(score, baseline)} ` +
    `(${seedsText(variant, baseline)}; ${score.direction} is better). Not a verdict: that needs ${rule.minSeeds} seeds per arm — repeat with seeds.`
  );
}
