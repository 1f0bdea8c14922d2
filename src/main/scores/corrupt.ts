/**
 * Image corruptions, used twice: to make the classifier's "none of these"
 * class (noise and heavily corrupted images), and by the validation tests
 * to disturb real images by a controlled amount. All take and return
 * ImageSets in [0, 1] and draw from a seeded Rng.
 */
import type { Rng } from '../common/rng';
import type { ImageSet } from './images';
import { imageAt, imageSize, resizeImages } from './images';

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

function mapImages(set: ImageSet, f: (image: Float32Array, out: Float32Array, index: number) => void): ImageSet {
  const data = new Float32Array(set.data.length);
  const size = imageSize(set);
  for (let i = 0; i < set.n; i += 1) f(imageAt(set, i), data.subarray(i * size, (i + 1) * size), i);
  return { ...set, data };
}

/** Adds N(0, sigma²) to every pixel (clipped to [0, 1]). */
export function addGaussianNoise(set: ImageSet, sigma: number, rng: Rng): ImageSet {
  const normals = rng.normals(set.data.length);
  return { ...set, data: set.data.map((v, i) => clamp01(v + sigma * normals[i]!)) };
}

/** Box blur of the given radius (in pixels), applied `passes` times (3 passes ≈ a Gaussian). */
export function blurImages(set: ImageSet, radius: number, passes = 3): ImageSet {
  if (radius <= 0) return set;
  let current = set;
  const { height, width, channels } = set;
  for (let pass = 0; pass < passes; pass += 1) {
    current = mapImages(current, (image, out) => {
      const tmp = new Float32Array(image.length);
      for (let y = 0; y < height; y += 1) {
        for (let x = 0; x < width; x += 1) {
          for (let c = 0; c < channels; c += 1) {
            let sum = 0;
            let count = 0;
            for (let k = Math.max(0, x - radius); k <= Math.min(width - 1, x + radius); k += 1, count += 1) sum += image[(y * width + k) * channels + c]!;
            tmp[(y * width + x) * channels + c] = sum / count;
          }
        }
      }
      for (let y = 0; y < height; y += 1) {
        for (let x = 0; x < width; x += 1) {
          for (let c = 0; c < channels; c += 1) {
            let sum = 0;
            let count = 0;
            for (let k = Math.max(0, y - radius); k <= Math.min(height - 1, y + radius); k += 1, count += 1) sum += tmp[(k * width + x) * channels + c]!;
            out[(y * width + x) * channels + c] = sum / count;
          }
        }
      }
    });
  }
  return current;
}

/** Blacks out a random square covering `fraction` of each image's area. */
export function maskImages(set: ImageSet, fraction: number, rng: Rng): ImageSet {
  const side = Math.round(Math.sqrt(fraction) * Math.min(set.height, set.width));
  return mapImages(set, (image, out) => {
    out.set(image);
    const top = Math.floor(rng.next() * (set.height - side + 1));
    const left = Math.floor(rng.next() * (set.width - side + 1));
    for (let y = top; y < top + side; y += 1) out.fill(0, (y * set.width + left) * set.channels, (y * set.width + left + side) * set.channels);
  });
}

/** n images of uniform noise in [0, 1]. */
export function uniformNoiseImages(n: number, shape: Pick<ImageSet, 'height' | 'width' | 'channels'>, rng: Rng): ImageSet {
  const data = new Float32Array(n * imageSize(shape));
  for (let i = 0; i < data.length; i += 1) data[i] = rng.next();
  return { data, n, height: shape.height, width: shape.width, channels: shape.channels };
}

/** Smooth random blobs: coarse noise (grid × grid) upsampled, like an untrained generator's output. */
export function blobImages(n: number, shape: Pick<ImageSet, 'height' | 'width' | 'channels'>, grid: number, rng: Rng): ImageSet {
  const coarse = uniformNoiseImages(n, { height: grid, width: grid, channels: shape.channels }, rng);
  return resizeImages(coarse, shape.height, shape.width);
}

/** Cuts each image into tiles × tiles pieces and shuffles them (objects fall apart, pixel statistics stay). */
export function shuffleTiles(set: ImageSet, tiles: number, rng: Rng): ImageSet {
  const th = Math.floor(set.height / tiles);
  const tw = Math.floor(set.width / tiles);
  return mapImages(set, (image, out) => {
    out.set(image);
    const order = rng.permutation(tiles * tiles);
    for (let t = 0; t < tiles * tiles; t += 1) {
      const from = order[t]!;
      const [sy, sx] = [Math.floor(from / tiles) * th, (from % tiles) * tw];
      const [dy, dx] = [Math.floor(t / tiles) * th, (t % tiles) * tw];
      for (let y = 0; y < th; y += 1) {
        const src = ((sy + y) * set.width + sx) * set.channels;
        out.set(image.subarray(src, src + tw * set.channels), ((dy + y) * set.width + dx) * set.channels);
      }
    }
  });
}

/** Replaces each image with probability `share` by the image at the same index of `replacement`. */
export function mixIn(set: ImageSet, replacement: ImageSet, share: number, rng: Rng): ImageSet {
  const size = imageSize(set);
  return mapImages(set, (image, out, i) => out.set(rng.next() < share ? replacement.data.subarray(i * size, (i + 1) * size) : image));
}

/**
 * "None of these" examples made from real images (and from nothing): one of
 * uniform noise, smooth blobs, heavy noise, a heavy blur, shuffled tiles,
 * or a large mask, chosen at random per image.
 */
export function noneOfTheseImages(real: ImageSet, rng: Rng): ImageSet {
  const shape = { height: real.height, width: real.width, channels: real.channels };
  const size = imageSize(real);
  const data = new Float32Array(real.data.length);
  for (let i = 0; i < real.n; i += 1) {
    const one: ImageSet = { ...shape, n: 1, data: real.data.slice(i * size, (i + 1) * size) };
    const kind = Math.floor(rng.next() * 6);
    const made =
      kind === 0
        ? uniformNoiseImages(1, shape, rng)
        : kind === 1
          ? blobImages(1, shape, 2 + Math.floor(rng.next() * 6), rng)
          : kind === 2
            ? addGaussianNoise(one, 0.5 + rng.next() * 0.5, rng)
            : kind === 3
              ? blurImages(one, Math.max(2, Math.round(real.height / 8)))
              : kind === 4
                ? shuffleTiles(one, 3 + Math.floor(rng.next() * 2), rng)
                : maskImages(one, 0.5 + rng.next() * 0.3, rng);
    data.set(made.data, i * size);
  }
  return { ...shape, n: real.n, data };
}
