/**
 * From the uint8 dataset cache to training tensors. Each epoch visits the
 * images in a seeded random order (read by batch-source.ts); the last partial batch is dropped so every
 * step sees a full batch (the next epoch's shuffle reaches those images), as
 * the TF tutorial does with drop_remainder semantics.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../common/rng';

/** Full batches per epoch (the remainder is dropped). */
export function stepsPerEpoch(count: number, batchSize: number): number {
  return Math.floor(count / batchSize);
}

/** The image order of one epoch (1-based), the same whenever it is asked for. */
export function epochOrder(seed: number, epoch: number, count: number): Uint32Array {
  return Rng.stream(seed, 'shuffle', epoch).permutation(count);
}

/** A batch's uint8 pixels (read in the epoch's order, see batch-source.ts) scaled from [0, 255] to [-1, 1] like the tanh output. */
export function realBatch(pixels: Uint8Array, batchSize: number, shape: [number, number, number]): tf.Tensor4D {
  const out = new Float32Array(batchSize * shape[0] * shape[1] * shape[2]);
  for (let i = 0; i < out.length; i += 1) out[i] = pixels[i]! / 127.5 - 1;
  return tf.tensor4d(out, [batchSize, ...shape]);
}

/** The latent batch of global step `step` (1-based). */
export function noiseBatch(seed: number, step: number, batchSize: number, latentDim: number): tf.Tensor2D {
  return tf.tensor2d(Rng.stream(seed, 'noise', step).normals(batchSize * latentDim), [batchSize, latentDim]);
}
