/**
 * The names of the training recipes a config can switch on (the maths lives
 * in src/main/training/objective/). Types and constants only.
 */

/** Adversarial losses; `bce` is the DCGAN tutorial's. */
export const LOSS_NAMES = ['bce', 'hinge', 'least-squares'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** DiffAugment's transforms (Zhao et al. 2020), applied in this order. */
export const DIFF_AUGMENT_OPS = ['color', 'translation', 'cutout'] as const;
export type DiffAugmentOp = (typeof DIFF_AUGMENT_OPS)[number];

/** The recipe settings of a training config (see config.ts for their bounds); absent = off. */
export interface RecipeConfig {
  loss?: LossName;
  labelSmoothing?: number;
  instanceNoise?: number;
  diffAugment?: DiffAugmentOp[];
  emaDecay?: number;
  spectralNorm?: boolean;
  r1Gamma?: number;
}
