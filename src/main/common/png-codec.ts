/**
 * The trainer's PNG work (sample grids, TensorBoard images), through sharp.
 * Its own module because the desktop app's GPU host page swaps it for one
 * that asks the main process (renderer/gpu-host/io/), where sharp runs.
 */
import sharp from 'sharp';

export interface RawImage {
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** Encode raw interleaved pixels as a PNG. */
export function encodePng(image: RawImage): Promise<Buffer> {
  return sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: image.channels } }).png().toBuffer();
}

/** A PNG's width, height and channels, read from its header. */
export async function pngSize(png: Uint8Array): Promise<{ width: number; height: number; channels: RawImage['channels'] }> {
  const meta = await sharp(png).metadata();
  return { width: meta.width ?? 0, height: meta.height ?? 0, channels: meta.channels ?? 3 };
}
