/**
 * A PNG writer for tests that controls what an encoder usually decides for
 * you: colour type, bit depth, the filter of every row, Adam7 interlacing,
 * PLTE/tRNS and extra chunks — so the fast PNG path can be compared with
 * sharp on every kind of PNG, and broken ones can be made on purpose; and
 * the reference they are compared with.
 */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { ResolvedImportOptions } from './job';

export interface PngSpec {
  width: number;
  height: number;
  /** 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA. */
  colorType: 0 | 2 | 3 | 4 | 6;
  bitDepth: 1 | 2 | 4 | 8 | 16;
  /** Samples of pixel (x, y), one per channel (palette: the index), each below 2^bitDepth. */
  sample(x: number, y: number): number[];
  palette?: [number, number, number][];
  /** The tRNS chunk's bytes as written. */
  transparency?: number[];
  interlaced?: boolean;
  /** Chunks put before the first IDAT (type → bytes). */
  extraChunks?: [string, Uint8Array][];
}

/** One chunk: length, type, data, CRC over type and data. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

const CHANNELS = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const;
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Packs one row of samples into bytes (big-endian, MSB first below 8 bits). */
function packRow(samples: number[], bitDepth: number): Uint8Array {
  const bytes = new Uint8Array(Math.ceil((samples.length * bitDepth) / 8));
  samples.forEach((s, i) => {
    if (bitDepth === 16) {
      bytes[i * 2] = s >> 8;
      bytes[i * 2 + 1] = s & 255;
    } else {
      const bit = i * bitDepth;
      bytes[bit >> 3]! |= s << (8 - bitDepth - (bit & 7));
    }
  });
  return bytes;
}

/** Filters rows with filter types 0–4 in turn (row y uses (y + pass) mod 5), so every unfilter path is taken. */
function filterRows(rows: Uint8Array[], bpp: number, pass: number): Uint8Array[] {
  return rows.map((row, y) => {
    const prior = y > 0 ? rows[y - 1]! : new Uint8Array(row.length);
    const type = (y + pass) % 5;
    const out = new Uint8Array(row.length + 1);
    out[0] = type;
    for (let i = 0; i < row.length; i++) {
      const a = i >= bpp ? row[i - bpp]! : 0;
      const b = prior[i]!;
      const c = i >= bpp ? prior[i - bpp]! : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][type]!;
      out[i + 1] = (row[i]! - predictor) & 255;
    }
    return out;
  });
}

/** Encodes `spec` as a PNG file. */
export function encodePng(spec: PngSpec): Buffer {
  const { width, height, colorType, bitDepth } = spec;
  const bitsPerPixel = CHANNELS[colorType] * bitDepth;
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const passes = spec.interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const);
  const filtered: Uint8Array[] = [];
  passes.forEach(([x0, y0, dx, dy], pass) => {
    const rows: Uint8Array[] = [];
    for (let y = y0; y < height; y += dy) {
      const samples: number[] = [];
      for (let x = x0; x < width; x += dx) samples.push(...spec.sample(x, y));
      if (samples.length > 0) rows.push(packRow(samples, bitDepth));
    }
    filtered.push(...filterRows(rows, bpp, pass));
  });
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([bitDepth, colorType, 0, 0, spec.interlaced ? 1 : 0], 8);
  const chunks = [pngChunk('IHDR', ihdr)];
  for (const [type, data] of spec.extraChunks ?? []) chunks.push(pngChunk(type, data));
  if (spec.palette) chunks.push(pngChunk('PLTE', Uint8Array.from(spec.palette.flat())));
  if (spec.transparency) chunks.push(pngChunk('tRNS', Uint8Array.from(spec.transparency)));
  chunks.push(pngChunk('IDAT', deflateSync(Buffer.concat(filtered))), pngChunk('IEND', new Uint8Array()));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
}

/**
 * decode.ts's pipeline as sharp alone runs it: what every image went through before the
 * plain-PNG path and the decode threads, so what the cache must still hold byte for byte.
 */
export async function sharpPixels(image: Uint8Array | string, shape: Pick<ResolvedImportOptions, 'size' | 'fit' | 'background'>): Promise<{ data: Buffer; width: number; height: number }> {
  const { size, fit, background } = shape;
  const flat = sharp(image, { limitInputPixels: 1 << 26, failOn: 'error' }).rotate().flatten({ background });
  const sized = size === undefined ? flat : flat.resize(size, size, { fit, position: 'centre', background });
  const { data, info } = await sized.toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
