/**
 * The fixed-noise sample grid: G(noise) in inference mode, tiled rows × cols
 * with a 2 px transparent gap (no outer border), saved as one PNG with an
 * alpha channel: the gaps show what the grid is drawn on (the page in light
 * or dark mode, a video frame's background). Images keep their native pixel
 * size; viewers scale them up. The Generate view uses the same two halves
 * (generateImages, tileImagesPng) for its grids and strips.
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { writeFileAtomic } from '../runs';
import { encodePng } from '../common/png-codec';

/** Gap between tiles, in pixels. */
export const GRID_GAP = 2;

/** Pixel size of a grid of `rows × cols` tiles of `tile × tile` pixels. */
export function gridSize(rows: number, cols: number, tile: number): { width: number; height: number } {
  return { width: cols * tile + (cols - 1) * GRID_GAP, height: rows * tile + (rows - 1) * GRID_GAP };
}

/** Generated images as uint8 NHWC pixels: `count` square tiles of `size` × `size` × `channels`. */
export interface GeneratedImages {
  pixels: Uint8Array;
  count: number;
  size: number;
  channels: 1 | 3;
}

/** G(latents) in inference mode, mapped from tanh's [-1, 1] to [0, 255]. `latents` holds whole vectors of `latentDim`. */
export async function generateImages(generator: tf.LayersModel, latents: Float32Array, latentDim: number): Promise<GeneratedImages> {
  const count = latents.length / latentDim;
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`Generator input: expected a whole number of ${latentDim}-value latent vectors, got ${latents.length} values.`);
  }
  const images = tf.tidy(() => {
    const out = generator.predict(tf.tensor2d(latents, [count, latentDim])) as tf.Tensor4D;
    return out.add(1).mul(127.5).clipByValue(0, 255).round().cast('int32') as tf.Tensor4D;
  });
  const [, size, width, channels] = images.shape;
  const values = await images.data();
  images.dispose();
  if (size !== width || (channels !== 1 && channels !== 3)) {
    throw new Error(`Generator output: expected square 1- or 3-channel images, got [${images.shape}].`);
  }
  return { pixels: Uint8Array.from(values), count, size, channels };
}

/**
 * Tile images rows × cols (row by row) as one PNG with an alpha channel: every image pixel is
 * opaque, the gaps and the places of tiles past `count` are transparent.
 */
export function tileImagesPng(images: GeneratedImages, rows: number, cols: number): Promise<Buffer> {
  const { size: tile, channels, count } = images;
  if (count > rows * cols) throw new Error(`Sample grid: ${count} images do not fit ${rows}×${cols}.`);
  const { width, height } = gridSize(rows, cols, tile);
  const out = channels + 1; // gray + alpha, or RGB + alpha
  const canvas = new Uint8Array(width * height * out); // all transparent
  for (let index = 0; index < count; index += 1) {
    const left = (index % cols) * (tile + GRID_GAP);
    const top = Math.floor(index / cols) * (tile + GRID_GAP);
    for (let y = 0; y < tile; y += 1) {
      for (let x = 0; x < tile; x += 1) {
        const from = ((index * tile + y) * tile + x) * channels;
        const to = ((top + y) * width + left + x) * out;
        for (let c = 0; c < channels; c += 1) canvas[to + c] = images.pixels[from + c]!;
        canvas[to + channels] = 255;
      }
    }
  }
  return encodePng({ pixels: canvas, width, height, channels: out as 2 | 4 });
}

/** Render G(noise) as a PNG grid. `noise` holds rows·cols latent vectors. */
export async function renderSampleGrid(
  generator: tf.LayersModel,
  noise: Float32Array,
  grid: { rows: number; cols: number; latentDim: number },
): Promise<Buffer> {
  const count = grid.rows * grid.cols;
  if (noise.length !== count * grid.latentDim) {
    throw new Error(`Sample grid: expected ${count * grid.latentDim} noise values, got ${noise.length}.`);
  }
  return tileImagesPng(await generateImages(generator, noise, grid.latentDim), grid.rows, grid.cols);
}

/** Render and write a grid to `runDir/file` atomically. */
export async function writeSampleGrid(
  runDir: string,
  file: string,
  generator: tf.LayersModel,
  noise: Float32Array,
  grid: { rows: number; cols: number; latentDim: number },
): Promise<void> {
  await writeFileAtomic(join(runDir, file), await renderSampleGrid(generator, noise, grid));
}
