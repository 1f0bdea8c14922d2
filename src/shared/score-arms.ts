/**
 * Runs → arms → verdict sentences. An arm is one config on one dataset
 * trained with one or more seeds: runs whose configs are identical except the
 * seed. Compare and the evidence pack both call `armVerdicts`, which picks the
 * latest epoch every compared run has scored, summarises each arm over the
 * seeds that scored it, and asks `scoreVerdict` for one sentence per score.
 * Iterates SCORE_SPECS, so a new score needs no change here. Pure.
 */
import type { TrainingConfig } from './config';
import { scoreDigits } from './score-format';
import { SCORE_SPECS, type ScoreName, type ScoresRecord } from './scores';
import { scoreVerdict, summariseArm, type ArmSummary, type ScoreEstimate, type Verdict } from './verdict';

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
  /** The epoch judged, or undefined with `note` saying why there is nothing to judge. */
  epoch?: number;
  lines: VerdictLine[];
  note?: string;
}

function estimates(arm: Arm, epoch: number, score: ScoreName): ScoreEstimate[] {
  return arm.runs.flatMap((run) => {
    const value = run.scores.find((record) => record.epoch === epoch)?.scores[score];
    return value ? [value] : [];
  });
}

/**
 * Every variant arm against the baseline arm, per score, at the newest epoch all of `compared`
 * (the runs the user picked) have scored. Each arm counts the seeds that scored that epoch.
 */
export function armVerdicts(baseline: Arm, variants: Arm[], compared: Pick<ArmRun, 'scores'>[]): ArmVerdicts {
  if (variants.length === 0) {
    return { lines: [], note: 'Every compared run has the same config (only seeds differ): they are one arm, with nothing to compare against.' };
  }
  const epoch = commonScoredEpoch(compared);
  if (epoch === undefined) return { lines: [], note: 'No epoch has quality scores in every compared run yet.' };
  const lines: VerdictLine[] = [];
  for (const variant of variants) {
    for (const spec of SCORE_SPECS) {
      const base = estimates(baseline, epoch, spec.name);
      const own = estimates(variant, epoch, spec.name);
      if (base.length === 0 || own.length === 0) continue;
      const baseSummary = summariseArm(baseline.name, base);
      const ownSummary = summariseArm(variant.name, own);
      const digits = scoreDigits([baseSummary.mean, ownSummary.mean]);
      const verdict = scoreVerdict({ label: spec.label, direction: spec.direction, digits }, epoch, ownSummary, baseSummary);
      lines.push({ score: spec.name, variant: ownSummary, baseline: baseSummary, verdict });
    }
  }
  return lines.length ? { epoch, lines } : { epoch, lines, note: `No score was computed for both arms at epoch ${epoch}.` };
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
