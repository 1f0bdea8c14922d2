/**
 * Runs → arms → verdict sentences. An arm is one config on one dataset
 * trained with one or more seeds: runs whose configs are identical except the
 * seed. Compare, the evidence pack and the CLI call `armVerdicts`, which picks
 * the latest epoch every compared run has scored, refuses arms whose scores
 * are on different scales (dataset, feature network, sample size), summarises
 * each arm over the seeds that scored it, and asks `judgeScores` for one
 * sentence per score; `verdictLines` is the text they all print. Iterates
 * SCORE_SPECS, so a new score needs no change here. Pure.
 */
import type { TrainingConfig } from './config';
import { scoreDigits } from './score-format';
import { SCORE_SPECS, type ScoreName, type ScoresRecord } from './scores';
import { DEFAULT_VERDICT_RULE, judgeScores, summariseArm, type ArmSummary, type ScoreComparison, type ScoreEstimate, type Verdict, type VerdictRule } from './verdict';

/** What grouping and verdicts need of a run. */
export interface ArmRun {
  id: string;
  name: string;
  config: TrainingConfig;
  datasetId: string;
  scores: ScoresRecord[];
}

/** Runs of one config (minus the seed) on one dataset. */
export interface Arm {
  key: string;
  /** The first member's name (the run the user picked). */
  name: string;
  runs: ArmRun[];
}

/** Same key ⇔ same dataset and same config in every field but the seed (key order ignored). */
export function armKey(config: TrainingConfig, datasetId: string): string {
  const rest = Object.entries(config)
    .filter(([key, value]) => key !== 'seed' && value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([datasetId, rest]);
}

/** Group runs into arms, in order of each arm's first run. */
export function groupArms(runs: ArmRun[]): Arm[] {
  const arms = new Map<string, Arm>();
  for (const run of runs) {
    const key = armKey(run.config, run.datasetId);
    const arm = arms.get(key);
    if (arm) {
      if (!arm.runs.some((r) => r.id === run.id)) arm.runs.push(run);
    } else arms.set(key, { key, name: run.name, runs: [run] });
  }
  return [...arms.values()];
}

/** The newest epoch every one of `runs` has a score record for; undefined when they share none. */
export function commonScoredEpoch(runs: Pick<ArmRun, 'scores'>[]): number | undefined {
  if (runs.length === 0) return undefined;
  const sets = runs.map((run) => new Set(run.scores.map((record) => record.epoch)));
  const shared = [...sets[0]!].filter((epoch) => sets.every((set) => set.has(epoch)));
  return shared.length ? Math.max(...shared) : undefined;
}

/** One score's verdict for one variant arm against the baseline arm. */
export interface VerdictLine {
  score: ScoreName;
  variant: ArmSummary;
  baseline: ArmSummary;
  verdict: Verdict;
}

export interface ArmVerdicts {
  /** The epoch judged; undefined when no epoch has scores in every compared run. */
  epoch?: number;
  lines: VerdictLine[];
  /** Why something was not judged (nothing to compare, another dataset or feature network) and cautions. */
  notes: string[];
  /** The rule the lines were judged by. */
  rule: VerdictRule;
  /** Arms with fewer scored seeds at `epoch` than the rule needs: offer to repeat them with seeds. */
  needSeeds: { arm: Arm; seeds: number }[];
}

function estimates(arm: Arm, epoch: number, score: ScoreName): ScoreEstimate[] {
  return arm.runs.flatMap((run) => {
    const value = run.scores.find((record) => record.epoch === epoch)?.scores[score];
    return value ? [value] : [];
  });
}

/** What a score's number means depends on the dataset, the feature network and the sample size (FID's bias shrinks with n). */
function scaleOf(run: ArmRun, epoch: number): string | undefined {
  const record = run.scores.find((r) => r.epoch === epoch);
  return record && `${record.feature.network}, n = ${record.sampleSize}`;
}

/** Why the two arms' scores are not on one scale, or undefined when they are. */
function incomparable(baseline: Arm, variant: Arm, epoch: number): string | undefined {
  const datasetOf = (arm: Arm) => arm.runs[0]!.datasetId;
  if (datasetOf(variant) !== datasetOf(baseline)) {
    return `“${variant.name}” trained on another dataset (or image size) than the baseline “${baseline.name}” (${datasetOf(variant)} vs ${datasetOf(baseline)}): scores compare only on the same dataset, so there is no verdict.`;
  }
  const scales = (arm: Arm) => [...new Set(arm.runs.flatMap((run) => scaleOf(run, epoch) ?? []))];
  const all = [...new Set([...scales(baseline), ...scales(variant)])];
  if (all.length > 1) {
    return `“${variant.name}” and the baseline “${baseline.name}” were scored on different scales at epoch ${epoch} (${all.join('; ')}): scores compare only with the same feature network and sample size, so there is no verdict.`;
  }
  return undefined;
}

/** Seeds of `arm` that scored `epoch`. */
function scoredSeeds(arm: Arm, epoch: number): number {
  return arm.runs.filter((run) => run.scores.some((record) => record.epoch === epoch)).length;
}

/**
 * Every variant arm against the baseline arm, per score, at the newest epoch all of `compared`
 * (the runs the user picked) have scored. Each arm counts the seeds that scored that epoch; the
 * scores of one variant are judged together (judgeScores: Welch + Holm, or a lean with too few seeds).
 */
export function armVerdicts(baseline: Arm, variants: Arm[], compared: Pick<ArmRun, 'scores'>[], rule: VerdictRule = DEFAULT_VERDICT_RULE): ArmVerdicts {
  const result: ArmVerdicts = { lines: [], notes: [], rule, needSeeds: [] };
  if (variants.length === 0) {
    result.notes.push('Every compared run has the same config (only seeds differ): they are one arm, with nothing to compare against.');
    return result;
  }
  const epoch = commonScoredEpoch(compared);
  if (epoch === undefined) {
    result.notes.push('No epoch has quality scores in every compared run yet.');
    return result;
  }
  result.epoch = epoch;
  for (const variant of variants) {
    const refusal = incomparable(baseline, variant, epoch);
    if (refusal) {
      result.notes.push(refusal);
      continue;
    }
    const comparisons: (ScoreComparison & { name: ScoreName })[] = [];
    for (const spec of SCORE_SPECS) {
      const base = estimates(baseline, epoch, spec.name);
      const own = estimates(variant, epoch, spec.name);
      if (base.length === 0 || own.length === 0) continue;
      const baseSummary = summariseArm(baseline.name, base);
      const ownSummary = summariseArm(variant.name, own);
      const digits = scoreDigits([baseSummary.mean, ownSummary.mean]);
      comparisons.push({ name: spec.name, score: { label: spec.label, direction: spec.direction, digits, unit: spec.unit }, variant: ownSummary, baseline: baseSummary });
    }
    if (comparisons.length === 0) result.notes.push(`No score was computed for both “${variant.name}” and the baseline at epoch ${epoch}.`);
    judgeScores(comparisons, epoch, rule).forEach((verdict, i) => {
      const { name, variant: own, baseline: base } = comparisons[i]!;
      result.lines.push({ score: name, variant: own, baseline: base, verdict });
    });
    const presets = [baseline, variant].map((arm) => arm.runs[0]!.config.preset);
    if (presets[0] !== presets[1]) {
      result.notes.push(`“${variant.name}” uses preset ${presets[1]}, the baseline ${presets[0]}: the verdict compares the two models as wholes (same dataset and feature network, so the scores share one scale).`);
    }
  }
  for (const arm of [baseline, ...variants]) {
    const seeds = scoredSeeds(arm, epoch);
    if (seeds < rule.minSeeds) result.needSeeds.push({ arm, seeds });
  }
  if (result.needSeeds.length > 0 && result.lines.length > 0) {
    const arms = result.needSeeds.map(({ arm, seeds }) => `“${arm.name}” has ${seeds}`).join(', ');
    result.notes.push(
      `For a verdict, repeat with seeds: ${arms} of the ${rule.minSeeds} scored seeds an arm needs. ` +
        'Use Repeat with seeds on the run page or in Compare, or train the same settings again with another --seed.',
    );
  }
  return result;
}

/** The note when a run and its baseline differ only in the seed. */
export const SAME_ARM_NOTE = 'The baseline has the same settings as this run (only the seed differs): both are seeds of one arm, so there is no verdict.';

/**
 * One run against one baseline run, each given with the other seeds of its config (the picked
 * run first): the two arms and the verdict. Runs that differ only in the seed are one arm, and
 * the verdict then only says so.
 */
export function runAgainstBaseline(own: ArmRun[], baseline: ArmRun[], rule: VerdictRule = DEFAULT_VERDICT_RULE): { ownArm: Arm; baseArm?: Arm; result: ArmVerdicts } {
  const [ownArm, baseArm] = groupArms([...own, ...baseline]);
  if (!baseArm) return { ownArm: ownArm!, result: { lines: [], notes: [SAME_ARM_NOTE], rule, needSeeds: [] } };
  return { ownArm: ownArm!, baseArm, result: armVerdicts(baseArm, [ownArm!], [own[0]!, baseline[0]!], rule) };
}

/**
 * The verdict as lines of text — one sentence per score and variant, then the notes (refusals,
 * cautions, how to get more seeds). Compare, the evidence pack, `gan-studio score --baseline`
 * and `gan-studio evidence` all show these same sentences; anything else that prints a verdict
 * should print them too.
 */
export function verdictLines(result: ArmVerdicts): string[] {
  return [...result.lines.map((line) => line.verdict.sentence), ...result.notes];
}

/** The rule, once, for a footer under the sentences. */
export function verdictRuleText(rule: VerdictRule = DEFAULT_VERDICT_RULE): string {
  return (
    `A verdict needs ${rule.minSeeds} seeds per arm: each score is tested with Welch's t-test over the per-seed values ` +
    `(the spread between seeds), and the scores are tested together with Holm's correction at α = ${rule.alpha}. ` +
    'With fewer seeds the sentence only says which way the numbers lean. ± is one standard deviation over seeds.'
  );
}

const SEED_LIMIT = 2 ** 31;

/** New seeds for `count` repeats: the next integers after `from` (wrapping below 2³¹) that `taken` does not hold. */
export function nextSeeds(from: number, taken: Iterable<number>, count: number): number[] {
  const used = new Set(taken);
  const seeds: number[] = [];
  for (let i = 1; seeds.length < count; i++) {
    const seed = (from + i) % SEED_LIMIT;
    if (!used.has(seed)) seeds.push(seed);
  }
  return seeds;
}
