/**
 * The fixed-noise sample grid: G(noise) in inference mode, tiled rows × cols
 * with a 2 px white gap (no outer border), saved as one PNG. Images keep their
 * native pixel size; viewers scale them up.
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeFileAtomic } from '../runs';

/** Gap between tiles, in pixels. */
export const GRID_GAP = 2;

/** Pixel size of a grid of `rows × cols` tiles of `tile × tile` pixels. */
export function gridSize(rows: number, cols: number, tile: number): { width: number; height: number } {
  return { width: cols * tile + (cols - 1) * GRID_GAP, height: rows * tile + (rows - 1) * GRID_GAP };
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
  const images = tf.tidy(() => {
    const out = generator.predict(tf.tensor2d(noise, [count, grid.latentDim])) as tf.Tensor4D;
    // tanh output [-1, 1] → [0, 255]
    return out.add(1).mul(127.5).clipByValue(0, 255).round().cast('int32') as tf.Tensor4D;
  });
  const [, tile, tileWidth, channels] = images.shape;
  const pixels = await images.data();
  images.dispose();
  if (tile !== tileWidth || (channels !== 1 && channels !== 3)) {
    throw new Error(`Sample grid: expected square 1- or 3-channel images, got [${images.shape}].`);
  }
  const { width, height } = gridSize(grid.rows, grid.cols, tile);
  const canvas = new Uint8Array(width * height * channels).fill(255);
  const tileSize = tile * tile * channels;
  for (let index = 0; index < count; index += 1) {
    const left = (index % grid.cols) * (tile + GRID_GAP);
    const top = Math.floor(index / grid.cols) * (tile + GRID_GAP);
    for (let y = 0; y < tile; y += 1) {
      const rowStart = index * tileSize + y * tile * channels;
      canvas.set(pixels.subarray(rowStart, rowStart + tile * channels), ((top + y) * width + left) * channels);
    }
  }
  return sharp(canvas, { raw: { width, height, channels } }).png().toBuffer();
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
