/**
 * Drawing a job's images with WebGPU's silent failures made loud: a lost
 * device or an out-of-memory error is only *reported* by WebGPU while tfjs
 * goes on computing garbage, so after drawing the job checks the device watch
 * (device-watch.ts) and fails instead of writing those images.
 */
import type * as tf from '@tensorflow/tfjs';
import { ExportError } from '../export/errors';
import type { GpuDeviceWatch } from '../training/device-watch';
import { TrainingError } from '../training/errors';
import { generateImages, type GeneratedImages } from '../training/sample-grid';

const RETRY = 'Try again: a new generate process gets a new GPU device. To generate on the CPU instead, set GAN_STUDIO_BACKEND=wasm.';

/** What a GPU failure means for a generate job (the training wording talks of steps and checkpoints). */
const WHAT_FAILED: Record<string, string> = {
  'gpu-device-lost': 'The GPU stopped working while generating; nothing was written.',
  'out-of-memory': 'The GPU ran out of memory while generating; nothing was written.',
};

/** The images for `latents`, or an ExportError when the GPU failed meanwhile. */
export async function drawImages(model: tf.LayersModel, latents: Float32Array, latentDim: number, watch: GpuDeviceWatch | undefined): Promise<GeneratedImages> {
  try {
    const images = await generateImages(model, latents, latentDim);
    watch?.check();
    return images;
  } catch (error) {
    const cause = watch ? await watch.explain(error) : error;
    if (!(cause instanceof TrainingError)) throw cause;
    const what = WHAT_FAILED[cause.kind] ?? 'The GPU reported an error while generating, so the images could not be trusted; nothing was written.';
    throw new ExportError(`${what} ${cause.message}`, RETRY);
  }
}
