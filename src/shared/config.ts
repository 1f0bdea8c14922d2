/**
 * The one training-config schema, shared by the CLI, IPC, the server and the
 * trainer. A user supplies a partial config; `resolveTrainingConfig` fills the
 * rest from the preset so every run.json holds a complete, explicit config.
 */
import { z } from 'zod';
import { BACKEND_NAMES } from './backends';
import { PRESET_NAMES } from './presets';
import { PRESETS } from './preset-catalog';

const positiveInt = z.number().int().positive();
const probability = z.number().min(0).max(1);

/** Images per scoring by default (docs/scores.md: its cost against an epoch's training). */
export const DEFAULT_SCORE_SAMPLE_SIZE = 500;

/** What a user may set; everything except `preset` has a preset default. */
export const trainingConfigInputSchema = z
  .object({
    preset: z.enum(PRESET_NAMES).default('tiny'),
    latentDim: positiveInt.max(4096).optional(),
    /** Multiplies every conv filter count (and the dense layer feeding them). */
    filterScale: z.number().positive().max(8).optional(),
    /** Overrides the momentum of every BatchNorm layer. */
    batchNormMomentum: z.number().min(0).max(1).optional(),
    /** Overrides the slope of every LeakyReLU. */
    leakyReluAlpha: z.number().min(0).max(1).optional(),
    /** Overrides the rate of every Dropout layer (discriminator). */
    dropout: probability.max(0.95).optional(),
    generatorLearningRate: z.number().positive().max(1).optional(),
    generatorBeta1: z.number().min(0).lt(1).optional(),
    discriminatorLearningRate: z.number().positive().max(1).optional(),
    discriminatorBeta1: z.number().min(0).lt(1).optional(),
    batchSize: positiveInt.max(4096).optional(),
    epochs: positiveInt.max(100000).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    /** Save a checkpoint every N epochs (and always on stop and at the end). */
    checkpointEvery: positiveInt.optional(),
    /** Sample grid shape (rows × cols of fixed-noise images). */
    gridRows: positiveInt.max(16).optional(),
    gridCols: positiveInt.max(16).optional(),
    /** Global steps (1-based) after which an extra early sample grid is drawn. */
    earlySampleSteps: z.array(positiveInt).max(32).optional(),
    backend: z.enum(BACKEND_NAMES).optional(),
    /** Quality scores every N epochs (0 = off); default 1 for presets up to 32×32, else 0. */
    scoreEvery: z.number().int().min(0).optional(),
    /** Generated (and real reference) images per scoring. */
    scoreSampleSize: z.number().int().min(10).max(20000).optional(),
  })
  .strict();

export type TrainingConfigInput = z.input<typeof trainingConfigInputSchema>;

/** A complete config: what run.json stores and the trainer consumes. */
export const trainingConfigSchema = z
  .object({
    preset: z.enum(PRESET_NAMES),
    latentDim: positiveInt,
    filterScale: z.number().positive(),
    batchNormMomentum: z.number().min(0).max(1).optional(),
    leakyReluAlpha: z.number().min(0).max(1).optional(),
    dropout: probability.optional(),
    generatorLearningRate: z.number().positive(),
    generatorBeta1: z.number().min(0).lt(1),
    discriminatorLearningRate: z.number().positive(),
    discriminatorBeta1: z.number().min(0).lt(1),
    batchSize: positiveInt,
    epochs: positiveInt,
    seed: z.number().int().min(0),
    checkpointEvery: positiveInt,
    gridRows: positiveInt,
    gridCols: positiveInt,
    earlySampleSteps: z.array(positiveInt),
    backend: z.enum(BACKEND_NAMES).optional(),
    // Optional so run.json files written before scores existed still load (they read as off).
    scoreEvery: z.number().int().min(0).optional(),
    scoreSampleSize: z.number().int().min(10).max(20000).optional(),
  })
  .strict();

export type TrainingConfig = z.infer<typeof trainingConfigSchema>;

/** Fill every unset field from the preset and studio defaults. */
export function resolveTrainingConfig(input: TrainingConfigInput): TrainingConfig {
  const parsed = trainingConfigInputSchema.parse(input);
  const preset = PRESETS[parsed.preset];
  return trainingConfigSchema.parse({
    preset: parsed.preset,
    latentDim: parsed.latentDim ?? preset.latentDim,
    filterScale: parsed.filterScale ?? 1,
    batchNormMomentum: parsed.batchNormMomentum,
    leakyReluAlpha: parsed.leakyReluAlpha,
    dropout: parsed.dropout,
    generatorLearningRate: parsed.generatorLearningRate ?? preset.training.generatorLearningRate,
    generatorBeta1: parsed.generatorBeta1 ?? preset.training.generatorBeta1,
    discriminatorLearningRate: parsed.discriminatorLearningRate ?? preset.training.discriminatorLearningRate,
    discriminatorBeta1: parsed.discriminatorBeta1 ?? preset.training.discriminatorBeta1,
    batchSize: parsed.batchSize ?? preset.training.batchSize,
    epochs: parsed.epochs ?? preset.training.epochs,
    seed: parsed.seed ?? Math.floor(Math.random() * 2 ** 31),
    checkpointEvery: parsed.checkpointEvery ?? 1,
    gridRows: parsed.gridRows ?? 4,
    gridCols: parsed.gridCols ?? 4,
    earlySampleSteps: parsed.earlySampleSteps ?? [1, 10, 50],
    backend: parsed.backend,
    scoreEvery: parsed.scoreEvery ?? (preset.imageSize <= 32 ? 1 : 0),
    scoreSampleSize: parsed.scoreSampleSize ?? DEFAULT_SCORE_SAMPLE_SIZE,
  });
}

/** Turn a zod error into one line per problem, naming the field. */
export function describeConfigError(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`).join('\n');
}
