/**
 * The one training-config schema, shared by the CLI, IPC, the server and the
 * trainer. A user supplies a partial config; `resolveTrainingConfig` fills the
 * rest from the preset so every run.json holds a complete, explicit config.
 */
import { z } from 'zod';
import { BACKEND_NAMES } from './backends';
import { PRESET_NAMES } from './presets';
import { PRESETS } from './preset-catalog';
import { isRecipeOff, RECIPE_FIELDS } from './config-fields';
import { DIFF_AUGMENT_OPS, LOSS_NAMES, LOSS_SPECS } from './recipes';

const positiveInt = z.number().int().positive();
const probability = z.number().min(0).max(1);

/** Images per scoring by default (docs/scores.md: its cost against an epoch's training). */
export const DEFAULT_SCORE_SAMPLE_SIZE = 500;
/**
 * Training recipes (src/main/training/objective). Each one's "off" value
 * (config-fields.ts) is accepted as input (to switch off a preset's default)
 * and left out of the resolved config, so a config without recipes is the
 * tutorial's step.
 */
const recipeFields = {
  /** Adversarial loss; bce (the tutorial's) when absent. */
  loss: z.enum(LOSS_NAMES).optional(),
  /** One-sided label smoothing: real images' target is 1 − this (0 = off). */
  labelSmoothing: z.number().min(0).max(0.5).optional(),
  /** Instance noise: initial std of Gaussian noise on D's inputs, annealed to 0 (0 = off). */
  instanceNoise: z.number().min(0).max(2).optional(),
  /** DiffAugment transforms on every image D sees ([] = off). */
  diffAugment: z.array(z.enum(DIFF_AUGMENT_OPS)).max(DIFF_AUGMENT_OPS.length).optional(),
  /** Decay of the EMA copy of the generator (0 = off). */
  emaDecay: z.number().min(0).lt(1).optional(),
  /** Spectral normalisation of the discriminator's kernels. */
  spectralNorm: z.boolean().optional(),
  /** R1 penalty weight γ on real images (0 = off). */
  r1Gamma: z.number().min(0).max(1000).optional(),
};

/** The recipe settings of a training config; absent = off. */
export type RecipeConfig = z.infer<z.ZodObject<typeof recipeFields>>;

/** Losses label smoothing can apply to: those with a target for real images. */
const LOSSES_WITH_TARGETS = LOSS_NAMES.filter((name) => LOSS_SPECS[name].targets);

const recipeChecks = (config: RecipeConfig, ctx: z.RefinementCtx) => {
  const loss = config.loss ?? 'bce';
  if (!LOSS_SPECS[loss].targets && (config.labelSmoothing ?? 0) > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['labelSmoothing'],
      message: `label smoothing lowers the real images' target; ${loss} has no targets. Choose the ${LOSSES_WITH_TARGETS.join(' or ')} loss, or set label smoothing to 0.`,
    });
  }
  if (config.diffAugment && new Set(config.diffAugment).size !== config.diffAugment.length) {
    ctx.addIssue({ code: 'custom', path: ['diffAugment'], message: `expected each of ${DIFF_AUGMENT_OPS.join(', ')} at most once, got ${config.diffAugment.join(', ')}` });
  }
};

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
    ...recipeFields,
  })
  .strict()
  .superRefine(recipeChecks);

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
    ...recipeFields,
  })
  .strict()
  .superRefine(recipeChecks);

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
    ...resolveRecipes(parsed, preset.recipes ?? {}),
  });
}

/**
 * The user's recipes over the preset's. An "off" recipe is left out, unless
 * the preset switches it on: then the explicit off is kept, so resolving the
 * config again keeps it off.
 */
function resolveRecipes(input: RecipeConfig, defaults: RecipeConfig): RecipeConfig {
  const out: Record<string, unknown> = {};
  for (const field of RECIPE_FIELDS) {
    const key = field.key as keyof RecipeConfig;
    const value = input[key] ?? defaults[key];
    if (value === undefined) continue;
    if (!isRecipeOff(field, value) || defaults[key] !== undefined) {
      // DiffAugment's ops in the canonical order, whatever order they were given in.
      out[key] = key === 'diffAugment' ? DIFF_AUGMENT_OPS.filter((op) => (value as string[]).includes(op)) : value;
    }
  }
  return out;
}

