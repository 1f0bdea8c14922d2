/**
 * A sweep: one run per combination of the varied settings and per seed,
 * every combination trained on the same seeds (so arms differ only in what
 * was varied), named by what differs. The CLI's `sweep` and the Sweep form
 * both plan with `planSweep`; the first combination is the baseline the
 * verdict compares the others against.
 */
import { z } from 'zod';
import { resolveTrainingConfig, trainingConfigInputSchema, type TrainingConfig, type TrainingConfigInput } from './config';
import { settingPhrase } from './run-name';
import { nextSeeds } from './score-arms';
import { executorChoiceSchema } from './slurm';
import { configIssueLines } from './config-issue';

/** Settings a sweep may vary: every config field but the preset (which decides the dataset's shape) and the seed (--seeds). */
const VARIABLE_KEYS = Object.keys(trainingConfigInputSchema.shape).filter((key) => key !== 'preset' && key !== 'seed') as (keyof TrainingConfigInput)[];

/** Most runs one sweep creates (a cluster's MaxArraySize is split into several arrays past ~1,000). */
export const MAX_SWEEP_RUNS = 10_000;

export const sweepAxisSchema = z
  .object({
    key: z.enum(VARIABLE_KEYS as [keyof TrainingConfigInput, ...(keyof TrainingConfigInput)[]]),
    values: z.array(z.unknown()).min(1).max(100),
  })
  .strict();
export type SweepAxis = z.infer<typeof sweepAxisSchema>;

export const sweepRequestSchema = z
  .object({
    datasetId: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/),
    /** The settings every run shares (a seed here is the first seed). */
    config: trainingConfigInputSchema,
    vary: z.array(sweepAxisSchema).max(8),
    seeds: z.number().int().min(1).max(100),
    executor: executorChoiceSchema,
    /** Runs of the sweep's array at once on Slurm (%N). */
    throttle: z.number().int().min(1).max(10_000).optional(),
    /** Prefix of every run's name (default: the preset). */
    name: z.string().min(1).max(120).optional(),
  })
  .strict();
export type SweepRequest = z.input<typeof sweepRequestSchema>;

export interface PlannedRun {
  name: string;
  config: TrainingConfig;
  /** Which combination (0 = the baseline) and which of the seeds. */
  combination: number;
  seedIndex: number;
}

/** Every combination of the axes' values, the first axis changing slowest. */
export function combinations(axes: SweepAxis[]): Record<string, unknown>[] {
  let result: Record<string, unknown>[] = [{}];
  for (const axis of axes) result = result.flatMap((partial) => axis.values.map((value) => ({ ...partial, [axis.key]: value })));
  return result;
}

/**
 * The runs of a sweep, combination by combination, each over the same seeds: the base config's
 * seed (random when unset) and the ones after it. A combination the config schema refuses is
 * reported with the combination named.
 */
export function planSweep(request: { config: TrainingConfigInput; vary: SweepAxis[]; seeds: number; name?: string }): PlannedRun[] {
  const keys = request.vary.map((axis) => axis.key);
  const repeated = keys.find((key, index) => keys.indexOf(key) !== index);
  if (repeated) throw new SweepError(`"${repeated}" is varied twice; give all its values in one --vary.`);
  const combos = combinations(request.vary);
  const total = combos.length * request.seeds;
  if (total > MAX_SWEEP_RUNS) throw new SweepError(`This sweep would create ${total} runs; at most ${MAX_SWEEP_RUNS} are allowed.`);
  const base = resolveTrainingConfig(request.config);
  const seeds = [base.seed, ...nextSeeds(base.seed, [base.seed], request.seeds - 1)];
  const prefix = request.name ?? base.preset;
  return combos.flatMap((combo, combination) => {
    const parsed = trainingConfigInputSchema.safeParse({ ...request.config, ...combo });
    if (!parsed.success) {
      const what = Object.entries(combo).map(([key, value]) => settingPhrase(key, value)).join(', ');
      throw new SweepError(`The combination ${what} is not a valid config: ${configIssueLines(parsed.error).join(' ')}`);
    }
    const differs = Object.entries(combo).map(([key, value]) => settingPhrase(key, value));
    return seeds.map((seed, seedIndex) => ({
      name: [prefix, ...differs, `seed ${seed}`].join(' · ').slice(0, 200),
      config: resolveTrainingConfig({ ...parsed.data, seed }),
      combination,
      seedIndex,
    }));
  });
}

/** A sweep that cannot be planned, with what to change. */
export class SweepError extends Error {
  override name = 'SweepError';
}
