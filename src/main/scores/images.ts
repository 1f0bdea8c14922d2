/**
 * Image sets as the scores see them: n images, float NHWC in [0, 1], plus
 * conversions from the dataset cache's uint8 (read by offset) and the generator's tanh range,
 * and a bilinear resize so any image size meets a fixed input size.
 */

/** An image's height, width and channels. */
export interface ImageShape {
  height: number;
  width: number;
  channels: 1 | 3;
}

/** n images of height × width × channels, NHWC, values in [0, 1]. */
export interface ImageSet {
  data: Float32Array;
  n: number;
  height: number;
  width: number;
  channels: 1 | 3;
}

/** The images at `indices` (default: all) of a uint8 NHWC array, scaled to [0, 1]. */
export function imagesFromUint8(pixels: Uint8Array, shape: ImageShape, indices?: ArrayLike<number>): ImageSet {
  const size = shape.height * shape.width * shape.channels;
  const n = indices?.length ?? Math.floor(pixels.length / size);
  const data = new Float32Array(n * size);
  for (let i = 0; i < n; i += 1) {
    const start = (indices ? indices[i]! : i) * size;
    for (let k = 0; k < size; k += 1) data[i * size + k] = pixels[start + k]! / 255;
  }
  return { data, n, ...shape };
}

/** The images at `indices` of a dataset, read by offset (data/reader.ts), scaled to [0, 1]. */
export async function readImageSet(dataset: { read(indices: ArrayLike<number>): Promise<Uint8Array> }, shape: ImageShape, indices: ArrayLike<number>): Promise<ImageSet> {
  return imagesFromUint8(await dataset.read(indices), shape);
}

/** The size of one image in numbers. */
export function imageSize(set: Pick<ImageSet, 'height' | 'width' | 'channels'>): number {
  return set.height * set.width * set.channels;
}

/** One image of a set (a view, not a copy). */
export function imageAt(set: ImageSet, index: number): Float32Array {
  const size = imageSize(set);
  return set.data.subarray(index * size, (index + 1) * size);
}

/** Gray ↔ RGB (BT.601 luma for RGB → gray, as the importers do). */
export function toChannels(set: ImageSet, channels: 1 | 3): ImageSet {
  if (set.channels === channels) return set;
  const pixels = set.n * set.height * set.width;
  const data = new Float32Array(pixels * channels);
  for (let p = 0; p < pixels; p += 1) {
    if (channels === 1) data[p] = 0.299 * set.data[p * 3]! + 0.587 * set.data[p * 3 + 1]! + 0.114 * set.data[p * 3 + 2]!;
    else data.fill(set.data[p]!, p * 3, p * 3 + 3);
  }
  return { ...set, data, channels };
}

/** Bilinear resize (pixel centres aligned, as tf.image.resizeBilinear with halfPixelCenters). */
export function resizeImages(set: ImageSet, height: number, width: number): ImageSet {
  if (set.height === height && set.width === width) return set;
  const { channels } = set;
  const data = new Float32Array(set.n * height * width * channels);
  const sy = set.height / height;
  const sx = set.width / width;
  for (let i = 0; i < set.n; i += 1) {
    const src = imageAt(set, i);
    const base = i * height * width * channels;
    for (let y = 0; y < height; y += 1) {
      const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), set.height - 1);
      const y0 = Math.floor(fy);
      const y1 = Math.min(y0 + 1, set.height - 1);
      const wy = fy - y0;
      for (let x = 0; x < width; x += 1) {
        const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), set.width - 1);
        const x0 = Math.floor(fx);
        const x1 = Math.min(x0 + 1, set.width - 1);
        const wx = fx - x0;
        for (let c = 0; c < channels; c += 1) {
          const at = (yy: number, xx: number) => src[(yy * set.width + xx) * channels + c]!;
          const top = at(y0, x0) * (1 - wx) + at(y0, x1) * wx;
          const bottom = at(y1, x0) * (1 - wx) + at(y1, x1) * wx;
          data[base + (y * width + x) * channels + c] = top * (1 - wy) + bottom * wy;
        }
      }
    }
  }
  return { ...set, data, height, width };
}

/** Brings a set to the given shape: channels first, then a bilinear resize. */
export function conformImages(set: ImageSet, shape: { height: number; width: number; channels: 1 | 3 }): ImageSet {
  return resizeImages(toChannels(set, shape.channels), shape.height, shape.width);
}
