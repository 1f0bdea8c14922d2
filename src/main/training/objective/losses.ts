/**
 * The adversarial losses, on the discriminator's raw outputs ("logits"):
 * - bce: the DCGAN tutorial's binary cross-entropy on logits (the default;
 *   the seed presets train with exactly this).
 * - hinge: Lim & Ye 2017 / Miyato et al. 2018 — D pushes real logits above
 *   +1 and fake ones below −1; G raises D's fake logits.
 * - least-squares: Mao et al. 2017 (LSGAN, a = 0, b = c = 1) — D regresses
 *   real to 1 and fake to 0; G pulls D(fake) to 1. Squared errors keep
 *   gradients alive for fakes D already rejects.
 * Each is one entry of LOSSES; the names live in src/shared/recipes.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { LossName } from '../../../shared/recipes';

export interface AdversarialLoss {
  /** D's loss. `realTarget` is the label of real images: 1, or 1 − smoothing (one-sided label smoothing). */
  discriminator(realLogits: tf.Tensor, fakeLogits: tf.Tensor, realTarget: number): tf.Scalar;
  /** G's loss on D's outputs for its fakes. */
  generator(fakeLogits: tf.Tensor): tf.Scalar;
  /** D calls an image real when its output is ≥ this (the accuracies' boundary). */
  readonly threshold: number;
}

const target = (like: tf.Tensor, value: number) => (value === 1 ? tf.onesLike(like) : tf.fill(like.shape, value));

const bce: AdversarialLoss = {
  discriminator: (real, fake, realTarget) =>
    tf.losses.sigmoidCrossEntropy(target(real, realTarget), real).add(tf.losses.sigmoidCrossEntropy(tf.zerosLike(fake), fake)),
  generator: (fake) => tf.losses.sigmoidCrossEntropy(tf.onesLike(fake), fake),
  // sigmoid(x) >= 0.5 exactly when x >= 0.
  threshold: 0,
};

const hinge: AdversarialLoss = {
  discriminator: (real, fake) => tf.relu(tf.sub(1, real)).mean().add(tf.relu(tf.add(1, fake)).mean()),
  generator: (fake) => fake.mean().neg() as tf.Scalar,
  threshold: 0,
};

const leastSquares: AdversarialLoss = {
  discriminator: (real, fake, realTarget) => tf.sub(real, realTarget).square().mean().add(fake.square().mean()).mul(0.5),
  generator: (fake) => tf.sub(fake, 1).square().mean().mul(0.5),
  // Halfway between the fake (0) and real (1) targets.
  threshold: 0.5,
};

export const LOSSES: Record<LossName, AdversarialLoss> = { bce, hinge, 'least-squares': leastSquares };
