/**
 * Image decoding and resizing with sharp. Every image leaves here as
 * interleaved uint8 RGB: alpha composited onto the background colour,
 * EXIF orientation applied, resized when a size is set.
 *
 * Resizing: 'cover' scales the short side to the target and crops the
 * centre; 'contain' scales the long side to the target and pads with the
 * background colour.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import sharp from 'sharp';
import type { ResolvedImportOptions } from './job';
import { parseHexColour } from './pixels';
import { decodePlainPng } from './plain-png';
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

async function toRgb(pipeline: sharp.Sharp, options: Shape, sourceGray?: boolean): Promise<DecodedImage> {
  const { data, info } = await finish(pipeline, options).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after conversion, got ${info.channels}`);
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length);
  return { data: pixels, width: info.width, height: info.height, channels: 3, sourceGray: sourceGray ?? isGray(pixels) };
}

/** True when every pixel of interleaved RGB has R = G = B. */
function isGray(rgb: Uint8Array): boolean {
  for (let i = 0; i < rgb.length; i += 3) {
    if (rgb[i] !== rgb[i + 1] || rgb[i] !== rgb[i + 2]) return false;
  }
  return true;
}

/** PNG files up to this size are read whole to try the plain-PNG path; larger ones go to libvips by path. */
const PLAIN_PNG_FILE_BYTES = 1024 * 1024;

/**
 * Decodes an encoded image (PNG, JPEG, …) given as bytes or as the path of
 * its file (libvips then reads the file itself, only as far as it needs: a
 * huge file that is not an image fails on its first bytes). Throws sharp's
 * error for corrupt or unsupported data and for images above `maxPixels`;
 * callers skip the file. One sharp call per image (a separate metadata()
 * call halved the throughput on small images), so "gray" is judged by the
 * decoded pixels: an image is gray when all its pixels have R = G = B.
 * Plain PNGs (plain-png.ts) skip sharp: they give the same pixels without
 * its per-call cost.
 */
export async function decodeImage(input: Uint8Array | string, options: Shape, maxPixels: number): Promise<DecodedImage> {
  const bytes = typeof input === 'string' ? readSmallPng(input) : input;
  const plain = bytes && decodePlainPng(bytes, { background: parseHexColour(options.background), maxPixels, size: options.size });
  if (plain) return { ...plain, channels: 3, sourceGray: isGray(plain.data) };
  // Sharp gets what it always got (a path stays a path), so its verdicts and messages are unchanged.
  return toRgb(sharp(input, { limitInputPixels: maxPixels, failOn: 'error' }).rotate(), options);
}

/**
 * A small .png file's bytes (worth trying as a plain PNG); undefined for other or larger files.
 * Blocking reads: this runs on a decode thread, where they cost a tenth of the CPU of four
 * promise round trips through libuv's pool (about 15 µs against 150 µs a file).
 */
function readSmallPng(path: string): Uint8Array | undefined {
  if (extname(path).toLowerCase() !== '.png') return undefined;
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    if (size > PLAIN_PNG_FILE_BYTES) return undefined;
    const bytes = new Uint8Array(size);
    return readSync(fd, bytes, 0, size, 0) === size ? bytes : undefined;
  } finally {
    closeSync(fd);
  }
}

/** Signatures (magic bytes) of the formats decodeImage reads; offset → bytes. */
const SIGNATURES: { at: number; bytes: number[] }[] = [
  { at: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] }, // PNG
  { at: 0, bytes: [0xff, 0xd8, 0xff] }, // JPEG
  { at: 0, bytes: [0x47, 0x49, 0x46, 0x38] }, // GIF8
  { at: 8, bytes: [0x57, 0x45, 0x42, 0x50] }, // RIFF….WEBP
  { at: 0, bytes: [0x49, 0x49, 0x2a, 0x00] }, // TIFF, little-endian
  { at: 0, bytes: [0x4d, 0x4d, 0x00, 0x2a] }, // TIFF, big-endian
  { at: 4, bytes: [0x66, 0x74, 0x79, 0x70] }, // ISO-BMFF ftyp (AVIF/HEIF)
];

/** Bytes `looksLikeImage` needs to decide. */
export const SIGNATURE_BYTES = 12;

/** True when `head` (a file's first bytes) starts like an image format sharp decodes. */
export function looksLikeImage(head: Uint8Array): boolean {
  return SIGNATURES.some(({ at, bytes }) => head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b));
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
