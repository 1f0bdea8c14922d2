/**
 * Quality scores: the one list of score names and what views need to show
 * them (label, which direction is better, unit), the `{value, std, n}` every
 * score reports, and one line of a run's scores.jsonl. Views, CSV and the
 * evidence pack iterate SCORE_SPECS, so a new score touches none of them.
 * Types and schemas only (no Node imports).
 */
import { z } from 'zod';

export const SCORE_NAMES = ['fid', 'kid', 'swd', 'precision', 'recall', 'recognisable'] as const;
export type ScoreName = (typeof SCORE_NAMES)[number];

/** What a view needs to show a score without knowing it. */
export interface ScoreSpec {
  name: ScoreName;
  /** Short label for tables and legends, e.g. "FID". */
  label: string;
  /** One sentence for tooltips and docs. */
  description: string;
  direction: 'lower' | 'higher';
  /** Unit shown after the number ('%' for recognisable; '' when unitless). */
  unit: '' | '%';
  /** Relative cost: 'cheap' runs every epoch by default, 'moderate' adds a noticeable share. */
  cost: 'cheap' | 'moderate';
  /** True when the score needs the classifier trained on a labelled dataset. */
  needsClassifier: boolean;
}

/** The score list, in display order. */
export const SCORE_SPECS: readonly ScoreSpec[] = [
  {
    name: 'fid',
    label: 'FID',
    description: 'Fréchet distance between Gaussians fitted to real and generated classifier features.',
    direction: 'lower',
    unit: '',
    cost: 'cheap',
    needsClassifier: true,
  },
  {
    name: 'kid',
    label: 'KID',
    description: 'Kernel inception distance: unbiased MMD² with a cubic polynomial kernel, mean over subsets.',
    direction: 'lower',
    unit: '',
    cost: 'cheap',
    needsClassifier: false,
  },
  {
    name: 'swd',
    label: 'SWD',
    description: 'Sliced Wasserstein distance (×10³) between 7×7 Laplacian-pyramid patches, averaged over levels.',
    direction: 'lower',
    unit: '',
    cost: 'moderate',
    needsClassifier: false,
  },
  {
    name: 'precision',
    label: 'Precision',
    description: 'Share of generated samples inside the real k-NN feature manifold (quality).',
    direction: 'higher',
    unit: '',
    cost: 'cheap',
    needsClassifier: true,
  },
  {
    name: 'recall',
    label: 'Recall',
    description: 'Share of real samples with a generated sample inside their k-NN ball (coverage; diversity, low under mode collapse).',
    direction: 'higher',
    unit: '',
    cost: 'cheap',
    needsClassifier: true,
  },
  {
    name: 'recognisable',
    label: 'Recognisable %',
    description: 'Share of samples the classifier assigns to one real class with high confidence (not "none of these").',
    direction: 'higher',
    unit: '%',
    cost: 'cheap',
    needsClassifier: true,
  },
];

/** A score's spec by name. */
export function scoreSpec(name: ScoreName): ScoreSpec {
  return SCORE_SPECS.find((spec) => spec.name === name)!;
}

/** Every score is a value with its spread and the sample size behind it. */
export const scoreValueSchema = z.object({
  value: z.number(),
  /** Standard deviation (how each score gets it: docs/scores.md). */
  std: z.number().nonnegative(),
  /** Generated samples scored. */
  n: z.number().int().positive(),
});
export type ScoreValue = z.infer<typeof scoreValueSchema>;

export const scoreMapSchema = z.partialRecord(z.enum(SCORE_NAMES), scoreValueSchema);
export type ScoreMap = z.infer<typeof scoreMapSchema>;

/** The features the scores were computed on. */
export const scoreFeatureSchema = z.object({
  /** e.g. "classifier cnn-28x28x1 (fashion-mnist-…)" or "random projection of 16×16 pixels". */
  network: z.string(),
  /** The classifier's held-out accuracy in [0, 1]; absent without a classifier. */
  accuracy: z.number().min(0).max(1).optional(),
  /** Held-out real images' own recognisable % (the yardstick for generated samples). */
  realRecognisable: scoreValueSchema.optional(),
});
export type ScoreFeature = z.infer<typeof scoreFeatureSchema>;

/** One line of a run's scores.jsonl (and the payload of the trainer's `scores` event). */
export const scoresRecordSchema = z.object({
  epoch: z.number().int().nonnegative(),
  step: z.number().int().nonnegative(),
  /** Wall time the scoring took, in seconds. */
  seconds: z.number().nonnegative(),
  sampleSize: z.number().int().positive(),
  /** Which weights drew the samples: the EMA copy when the run keeps one (as the sample grids do). */
  generator: z.enum(['generator', 'ema']).optional(),
  feature: scoreFeatureSchema,
  scores: scoreMapSchema,
});
export type ScoresRecord = z.infer<typeof scoresRecordSchema>;
