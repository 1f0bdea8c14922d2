/**
 * The names of the training recipes a config can switch on (the maths lives
 * in src/main/training/objective/). Types and constants only.
 */

/** Adversarial losses; `bce` is the DCGAN tutorial's. */
export const LOSS_NAMES = ['bce', 'hinge', 'least-squares'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/**
 * What a config needs to know of each loss: whether D regresses real images to a target
 * (bce and least-squares: 1, which label smoothing lowers) or has none to move (hinge: a margin).
 * The maths is in src/main/training/objective/losses.ts, whose test pins this property.
 */
export const LOSS_SPECS: Record<LossName, { targets: boolean }> = {
  bce: { targets: true },
  hinge: { targets: false },
  'least-squares': { targets: true },
};

/** DiffAugment's transforms (Zhao et al. 2020), applied in this order. */
export const DIFF_AUGMENT_OPS = ['color', 'translation', 'cutout'] as const;
export type DiffAugmentOp = (typeof DIFF_AUGMENT_OPS)[number];
