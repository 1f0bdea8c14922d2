/**
 * Image decoding and resizing with sharp. Every image leaves here as
 * interleaved uint8 RGB: alpha composited onto the background colour,
 * EXIF orientation applied, resized when a size is set.
 *
 * Resizing: 'cover' scales the short side to the target and crops the
 * centre; 'contain' scales the long side to the target and pads with the
 * background colour.
 */
import sharp from 'sharp';
import type { ResolvedImportOptions } from './job';
import type { DecodedImage } from './writer';

/** File extensions the folder and archive importers try to decode. */
export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif']);

type Shape = Pick<ResolvedImportOptions, 'size' | 'fit' | 'background'>;

function finish(pipeline: sharp.Sharp, options: Shape): sharp.Sharp {
  const { size, fit, background } = options;
  const flat = pipeline.flatten({ background });
  const sized = size === undefined ? flat : flat.resize(size, size, { fit, position: 'centre', background });
  return sized.toColourspace('srgb').removeAlpha();
}

async function toRgb(pipeline: sharp.Sharp, options: Shape, sourceGray: boolean): Promise<DecodedImage> {
  const { data, info } = await finish(pipeline, options).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after conversion, got ${info.channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3, sourceGray };
}

/**
 * Decodes an encoded image (PNG, JPEG, …). Throws sharp's error for corrupt
 * or unsupported data and for images above `maxPixels`; callers skip the file.
 */
export async function decodeImage(bytes: Uint8Array, options: Shape, maxPixels: number): Promise<DecodedImage> {
  const image = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' }).rotate();
  const meta = await image.metadata();
  const sourceGray = (meta.channels ?? 3) <= 2 || meta.space === 'b-w' || meta.space === 'grey16';
  return toRgb(image, options, sourceGray);
}

/** Resizes raw interleaved gray or RGB pixels (arrays: CIFAR, IDX, NPY) to the target size. */
export async function resizeRaw(data: Uint8Array, width: number, height: number, channels: 1 | 3, options: Shape): Promise<DecodedImage> {
  const image = sharp(data, { raw: { width, height, channels } });
  return toRgb(image, options, channels === 1);
}

/**
 * Brings one raw array image to the options' size. Without a size (or when
 * it already matches) the pixels pass through untouched, keeping their channels.
 */
export async function shapeRaw(data: Uint8Array, width: number, height: number, channels: 1 | 3, options: Shape): Promise<DecodedImage> {
  if (options.size === undefined || (options.size === width && options.size === height)) {
    return { data, width, height, channels, sourceGray: channels === 1 };
  }
  return resizeRaw(data, width, height, channels, options);
}
