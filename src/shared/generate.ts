/**
 * Generate: fresh samples from a run's saved generator. The request a UI or
 * CLI sends (validated with these schemas at every boundary), the checkpoint
 * list it picks from, and the limits both sides share. Types and schemas only.
 */
import { z } from 'zod';

/** How many images one grid or "save N images" may draw, and frames one interpolation may have. */
export const GENERATE_LIMITS = { maxImages: 256, maxFrames: 240 } as const;

/** Output formats of an interpolation: a strip PNG, or an animation going a → b → a. */
export const INTERPOLATION_FORMATS = ['png', 'gif', 'mp4'] as const;
export type InterpolationFormat = (typeof INTERPOLATION_FORMATS)[number];

/** One saved generator of a run, as the epoch picker lists it. */
export interface GeneratorCheckpoint {
  /** Global step of the checkpoint (checkpoints/step-NNNNNNNN). */
  step: number;
  /** Epochs completed when it was saved. */
  epoch: number;
  /** Steps into the next epoch (0 for an end-of-epoch checkpoint; > 0 after a stop mid-epoch). */
  stepInEpoch: number;
  /** True when the checkpoint also holds the EMA (moving-average) generator. */
  hasEma: boolean;
  /**
   * Why its generator cannot be used, when a file is missing, cut short or changed since it was
   * written (checked against the checkpoint's SHA-256 list); absent when intact.
   */
  damage?: string;
}

const seed = z.number().int().min(0).max(0xffffffff);
const count = z.number().int().min(1).max(GENERATE_LIMITS.maxImages);
const index = z.number().int().min(0).max(GENERATE_LIMITS.maxImages - 1);

/** Which generator: a checkpoint by step (default: the newest), its EMA copy or the trained weights. */
export const generatorChoiceSchema = z
  .object({ step: z.number().int().positive().optional(), ema: z.boolean().optional() })
  .strict();

/** What to generate. Grids and saved images are samples 0…count−1 of `seed`; an interpolation runs from sample `from` to sample `to`. */
export const generateSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('grid'), seed, count }).strict(),
  z.object({ kind: z.literal('images'), seed, count }).strict(),
  z
    .object({
      kind: z.literal('interpolation'),
      seed,
      from: index,
      to: index,
      frames: z.number().int().min(2).max(GENERATE_LIMITS.maxFrames),
      format: z.enum(INTERPOLATION_FORMATS),
      fps: z.number().positive().max(60).optional(),
    })
    .strict()
    .refine((spec) => spec.from !== spec.to, { message: 'expected two different samples to interpolate between' }),
]);
export type GenerateSpec = z.infer<typeof generateSpecSchema>;

/** What a finished generate call returns: the files (URLs inside the run) and the generator used. */
export interface GenerateResult {
  checkpoint: GeneratorCheckpoint;
  /** True when the EMA generator drew them. */
  ema: boolean;
  files: { name: string; url: string }[];
  /** Damaged newer checkpoints passed over for the newest intact one, one sentence each. */
  notes?: string[];
}
