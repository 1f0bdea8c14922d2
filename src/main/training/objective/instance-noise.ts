/**
 * Instance noise (Sønderby et al. 2016, Arjovsky & Bottou 2017): Gaussian
 * noise added to every image the discriminator sees, real and fake, so their
 * distributions overlap early on and D cannot separate them perfectly. Its
 * standard deviation falls linearly from `initial` at the first step to 0 at
 * the last, so the end of training sees clean images.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../common/rng';

/** The noise's standard deviation at 1-based global step `step` of `totalSteps`. */
export function instanceNoiseStd(initial: number, step: number, totalSteps: number): number {
  if (totalSteps <= 1) return 0;
  return initial * Math.max(0, 1 - (step - 1) / (totalSteps - 1));
}

/** x + N(0, std²) per element, drawn from `rng` (a constant for the gradient: d/dx is 1). */
export function addInstanceNoise(x: tf.Tensor, std: number, rng: Rng): tf.Tensor {
  if (std === 0) return x;
  return x.add(tf.tensor(rng.normals(x.size), x.shape).mul(std));
}
