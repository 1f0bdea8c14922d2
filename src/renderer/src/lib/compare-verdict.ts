/**
 * Compare's verdict: the runs the user picked, plus every other run of the
 * same config with another seed ("Repeat with seeds" makes them), grouped
 * into arms; the baseline's arm against each other arm. Pure.
 */
import type { RunDetail, RunSummary } from '../../../shared/api';
import { armKey, armVerdicts, groupArms, type Arm, type ArmRun, type ArmVerdicts } from '../../../shared/score-arms';

type RunShape = Pick<RunSummary, 'id' | 'config' | 'dataset'>;

/** Runs not picked that share a picked run's config (all but the seed) and dataset: more seeds of its arm. */
export function seedSiblings(picked: RunShape[], all: RunShape[]): string[] {
  const keys = new Set(picked.map((run) => armKey(run.config, run.dataset.id)));
  const pickedIds = new Set(picked.map((run) => run.id));
  return all.filter((run) => !pickedIds.has(run.id) && keys.has(armKey(run.config, run.dataset.id))).map((run) => run.id);
}

function armRun(detail: RunDetail): ArmRun {
  return { id: detail.run.id, name: detail.run.name, config: detail.run.config, datasetId: detail.run.dataset.id, scores: detail.scores };
}

export interface CompareVerdict {
  baseline: Arm;
  variants: Arm[];
  result: ArmVerdicts;
}

/** Arms of the picked runs (siblings join their arm) and the verdicts against the arm holding `baselineId`. */
export function compareVerdict(picked: RunDetail[], siblings: RunDetail[], baselineId: string): CompareVerdict | undefined {
  const arms = groupArms([...picked, ...siblings].map(armRun));
  const baseline = arms.find((arm) => arm.runs.some((run) => run.id === baselineId));
  if (!baseline) return undefined;
  const variants = arms.filter((arm) => arm !== baseline);
  return { baseline, variants, result: armVerdicts(baseline, variants, picked.map(armRun)) };
}

/** How many seeds each arm with fewer runs than `minSeeds` still needs (runs still training count: they are coming). */
export function seedsToAdd(arms: Arm[], minSeeds: number): { arm: Arm; count: number }[] {
  return arms.flatMap((arm) => (arm.runs.length < minSeeds ? [{ arm, count: minSeeds - arm.runs.length }] : []));
}
