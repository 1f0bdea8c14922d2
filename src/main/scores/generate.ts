/**
 * Samples for scoring: G in inference mode on a fixed latent stream (the
 * same vectors every epoch and every run with the same latent size, so
 * scores differ only by the generator), tanh output mapped to [0, 1].
 */
import * as tf from '@tensorflow/tfjs';
import { scoreRng } from './features';
import type { ImageSet } from './images';
import { SCORE_SEED } from './score-images';

const BATCH = 250;

/** n images from `generator` (input [n, latentDim], output tanh NHWC). */
export async function sampleGenerator(generator: tf.LayersModel, latentDim: number, n: number): Promise<ImageSet> {
  const latents = scoreRng(SCORE_SEED, 'latents', latentDim).normals(n * latentDim);
  const [, height, width, channels] = generator.outputs[0]!.shape as number[];
  if (!height || !width || (channels !== 1 && channels !== 3)) throw new Error(`Scoring: expected a generator of 1- or 3-channel images, got output shape [${generator.outputs[0]!.shape}].`);
  const size = height * width * channels;
  const data = new Float32Array(n * size);
  for (let start = 0; start < n; start += BATCH) {
    const count = Math.min(BATCH, n - start);
    const images = tf.tidy(() => {
      const out = generator.predict(tf.tensor2d(latents.subarray(start * latentDim, (start + count) * latentDim), [count, latentDim])) as tf.Tensor;
      return out.add(1).mul(0.5).clipByValue(0, 1);
    });
    data.set(await images.data(), start * size);
    images.dispose();
  }
  return { data, n, height, width, channels };
}
