/**
 * A fast path for plain PNGs: decodes them in JavaScript to exactly the
 * pixels sharp gives for them (decode.ts's pipeline without a resize), so a
 * dataset of small PNGs no longer pays sharp's per-call cost (about 1 ms of
 * CPU an image, nearly all of it outside libvips's decoding).
 *
 * "Plain" is what this file proves equal to sharp (plain-png.test.ts
 * compares every colour type, bit depth, filter, interlacing and alpha
 * value): 8-bit or lower, no colour profile (iCCP), no EXIF (orientation)
 * and nothing unusual — every chunk's CRC right, chunks in order, no data
 * after IEND. Anything else returns undefined and goes to sharp, which then
 * decides on its own terms, errors included.
 */
import { crc32, inflateSync } from 'node:zlib';

/** Interleaved 8-bit RGB, as decode.ts's pipeline leaves every image. */
export interface PlainPngPixels {
  data: Uint8Array;
  width: number;
  height: number;
}

type Rgb = { r: number; g: number; b: number };

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Chunks that change no pixel in libvips's decoding (text, time, physical size, hints, gamma it does not apply). */
const IGNORED_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt', 'tIME', 'pHYs', 'bKGD', 'sBIT', 'hIST', 'sPLT', 'gAMA', 'cHRM', 'sRGB']);

/** Samples per pixel for each colour type (0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA). */
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const BIT_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8], 2: [8], 3: [1, 2, 4, 8], 4: [8], 6: [8] };

/** Adam7 passes: x start, y start, x step, y step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

interface Header {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

interface Chunks {
  header: Header;
  idat: Uint8Array[];
  palette?: Uint8Array;
  transparency?: Uint8Array;
}

/** Reads the chunk list; undefined for anything this fast path does not take on. */
function readChunks(png: Uint8Array): Chunks | undefined {
  if (png.length < 8 || SIGNATURE.some((b, i) => png[i] !== b)) return undefined;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  let header: Header | undefined;
  const idat: Uint8Array[] = [];
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  let idatDone = false;
  for (;;) {
    if (at + 12 > png.length) return undefined;
    const length = view.getUint32(at);
    const type = String.fromCharCode(png[at + 4]!, png[at + 5]!, png[at + 6]!, png[at + 7]!);
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > png.length) return undefined;
    const data = png.subarray(at + 8, at + 8 + length);
    if (crc32(data, crc32(png.subarray(at + 4, at + 8))) !== view.getUint32(at + 8 + length)) return undefined;
    at = end;
    if (header === undefined) {
      if (type !== 'IHDR' || length !== 13) return undefined;
      header = readHeader(data);
      if (!header) return undefined;
      continue;
    }
    if (type === 'IEND') return at === png.length && idat.length > 0 ? { header, idat, palette, transparency } : undefined;
    if (type === 'IDAT') {
      if (idatDone) return undefined;
      idat.push(data);
      continue;
    }
    if (idat.length > 0) idatDone = true;
    if (type === 'PLTE') {
      if (palette || transparency || idatDone || length === 0 || length % 3 !== 0 || length > 768) return undefined;
      palette = data;
    } else if (type === 'tRNS') {
      if (transparency || idatDone) return undefined;
      transparency = data;
    } else if (!IGNORED_CHUNKS.has(type)) {
      return undefined;
    }
  }
}

function readHeader(data: Uint8Array): Header | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const header = { width: view.getUint32(0), height: view.getUint32(4), bitDepth: data[8]!, colorType: data[9]!, interlaced: data[12] === 1 };
  const [compression, filter, interlace] = [data[10], data[11], data[12]];
  if (header.width === 0 || header.height === 0 || compression !== 0 || filter !== 0 || (interlace !== 0 && interlace !== 1)) return undefined;
  if (!BIT_DEPTHS[header.colorType]?.includes(header.bitDepth)) return undefined;
  return header;
}

/**
 * Undoes the scanline filters of one (sub)image in place; false for an unknown filter type.
 * The first row has no row above: the filters see zeros there.
 */
function unfilter(raw: Uint8Array, start: number, rows: number, rowBytes: number, bpp: number): boolean {
  const zeros = new Uint8Array(rowBytes);
  for (let y = 0; y < rows; y++) {
    const line = start + y * (rowBytes + 1);
    const row = raw.subarray(line + 1, line + 1 + rowBytes);
    const up = y === 0 ? zeros : raw.subarray(line - rowBytes, line);
    switch (raw[line]) {
      case 0:
        break;
      case 1:
        for (let i = bpp; i < rowBytes; i++) row[i] = row[i]! + row[i - bpp]!;
        break;
      case 2:
        for (let i = 0; i < rowBytes; i++) row[i] = row[i]! + up[i]!;
        break;
      case 3:
        for (let i = 0; i < bpp; i++) row[i] = row[i]! + (up[i]! >> 1);
        for (let i = bpp; i < rowBytes; i++) row[i] = row[i]! + ((row[i - bpp]! + up[i]!) >> 1);
        break;
      case 4:
        // Paeth with nothing on the left is the byte above.
        for (let i = 0; i < bpp; i++) row[i] = row[i]! + up[i]!;
        for (let i = bpp; i < rowBytes; i++) row[i] = row[i]! + paeth(row[i - bpp]!, up[i]!, up[i - bpp]!);
        break;
      default:
        return false;
    }
  }
  return true;
}

function paeth(a: number, b: number, c: number): number {
  const pa = Math.abs(b - c);
  const pb = Math.abs(a - c);
  const pc = Math.abs(a + b - 2 * c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** libvips's flatten of one 8-bit value: (v·a + bg·(255 − a)) / 255 in integers, truncated. */
function flatten(v: number, alpha: number, background: number): number {
  return alpha === 255 ? v : ((v * alpha + background * (255 - alpha)) / 255) | 0;
}

/**
 * For gray and palette images, whose pixels are one sample of at most 8 bits: the RGB each
 * sample value becomes, already composited. Gray is flattened as one band, onto the
 * background's first (red) component, as libvips does; gray under 8 bits is scaled to 0–255.
 * Undefined entries are palette indices past the palette's end (sharp's decoder decides those).
 */
function sampleTable(chunks: Chunks, background: Rgb): (Rgb | undefined)[] {
  const { header, palette, transparency } = chunks;
  const values = 2 ** header.bitDepth;
  if (header.colorType === 3) {
    return Array.from({ length: values }, (_, i) => {
      if (i * 3 >= palette!.length) return undefined;
      const alpha = transparency?.[i] ?? 255;
      return { r: flatten(palette![i * 3]!, alpha, background.r), g: flatten(palette![i * 3 + 1]!, alpha, background.g), b: flatten(palette![i * 3 + 2]!, alpha, background.b) };
    });
  }
  // tRNS of a gray image: the one 16-bit sample value that is fully transparent.
  const key = transparency ? (transparency[0]! << 8) | transparency[1]! : -1;
  return Array.from({ length: values }, (_, i) => {
    const v = flatten(Math.round((i * 255) / (values - 1)), i === key ? 0 : 255, background.r);
    return { r: v, g: v, b: v };
  });
}

/** Writes decoded rows as RGB, composited onto the background where pixels have alpha. */
class Compositor {
  readonly pixels: Uint8Array;
  private readonly table: (Rgb | undefined)[] | undefined;

  constructor(
    private readonly chunks: Chunks,
    private readonly background: Rgb,
  ) {
    const { width, height, colorType } = chunks.header;
    this.pixels = new Uint8Array(width * height * 3);
    this.table = colorType === 0 || colorType === 3 ? sampleTable(chunks, background) : undefined;
  }

  /**
   * One row of a (sub)image: `count` pixels of `raw` from `row`, landing at x = x0, x0 + dx, …
   * of output row y. False when a palette index is past the palette.
   */
  row(raw: Uint8Array, row: number, count: number, y: number, x0: number, dx: number): boolean {
    const { width, bitDepth, colorType } = this.chunks.header;
    const out = this.pixels;
    const step = dx * 3;
    let at = (y * width + x0) * 3;
    if (this.table) {
      const perByte = 8 / bitDepth;
      const mask = (1 << bitDepth) - 1;
      for (let i = 0; i < count; i++, at += step) {
        const shift = 8 - bitDepth * ((i % perByte) + 1);
        const rgb = this.table[(raw[row + Math.floor(i / perByte)]! >> shift) & mask];
        if (!rgb) return false;
        out[at] = rgb.r;
        out[at + 1] = rgb.g;
        out[at + 2] = rgb.b;
      }
      return true;
    }
    const { r: bgR, g: bgG, b: bgB } = this.background;
    if (colorType === 4) {
      for (let p = row, end = row + count * 2; p < end; p += 2, at += step) {
        const v = flatten(raw[p]!, raw[p + 1]!, bgR);
        out[at] = v;
        out[at + 1] = v;
        out[at + 2] = v;
      }
      return true;
    }
    if (colorType === 6) {
      for (let p = row, end = row + count * 4; p < end; p += 4, at += step) {
        const alpha = raw[p + 3]!;
        out[at] = flatten(raw[p]!, alpha, bgR);
        out[at + 1] = flatten(raw[p + 1]!, alpha, bgG);
        out[at + 2] = flatten(raw[p + 2]!, alpha, bgB);
      }
      return true;
    }
    // RGB; a tRNS chunk names the one 16-bit colour that is fully transparent.
    const key = this.chunks.transparency;
    const [kr, kg, kb] = key ? [(key[0]! << 8) | key[1]!, (key[2]! << 8) | key[3]!, (key[4]! << 8) | key[5]!] : [-1, -1, -1];
    for (let p = row, end = row + count * 3; p < end; p += 3, at += step) {
      const [r, g, b] = [raw[p]!, raw[p + 1]!, raw[p + 2]!];
      const keyed = r === kr && g === kg && b === kb;
      out[at] = keyed ? bgR : r;
      out[at + 1] = keyed ? bgG : g;
      out[at + 2] = keyed ? bgB : b;
    }
    return true;
  }
}

/** What decode.ts's pipeline is asked for, as far as a plain PNG is concerned. */
export interface PlainPngRequest {
  /** Colour transparent pixels are composited onto. */
  background: Rgb;
  /** Larger images (width × height) are left to sharp, which refuses them. */
  maxPixels: number;
  /** A requested square size: only images already that size are decoded here (a resize is sharp's). */
  size?: number;
}

/**
 * The RGB pixels sharp would give for `png`, or undefined when it is not a plain PNG, is over
 * the pixel limit or would need resizing: sharp then decodes it, or refuses it, itself.
 */
export function decodePlainPng(png: Uint8Array, request: PlainPngRequest): PlainPngPixels | undefined {
  const chunks = readChunks(png);
  if (!chunks) return undefined;
  const { header, palette, transparency } = chunks;
  const { width, height, bitDepth, colorType, interlaced } = header;
  if (width * height > request.maxPixels) return undefined;
  if (request.size !== undefined && (width !== request.size || height !== request.size)) return undefined;
  if (colorType === 3 ? !palette : palette && colorType !== 2 && colorType !== 6) return undefined;
  if (transparency && !((colorType === 0 && transparency.length === 2) || (colorType === 2 && transparency.length === 6) || (colorType === 3 && transparency.length <= palette!.length / 3))) {
    return undefined;
  }
  const bitsPerPixel = SAMPLES[colorType]! * bitDepth;
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const passes = interlaced ? ADAM7.map(([x0, y0, dx, dy]) => ({ x0, y0, dx, dy, columns: Math.ceil((width - x0) / dx), rows: Math.ceil((height - y0) / dy) })) : [{ x0: 0, y0: 0, dx: 1, dy: 1, columns: width, rows: height }];
  const layout = passes.filter((p) => p.columns > 0 && p.rows > 0).map((p) => ({ ...p, rowBytes: Math.ceil((p.columns * bitsPerPixel) / 8) }));
  const expected = layout.reduce((n, p) => n + p.rows * (p.rowBytes + 1), 0);
  let raw: Uint8Array;
  try {
    raw = inflateSync(chunks.idat.length === 1 ? chunks.idat[0]! : Buffer.concat(chunks.idat), { maxOutputLength: expected + 1 });
  } catch {
    return undefined;
  }
  if (raw.length !== expected) return undefined;
  const compositor = new Compositor(chunks, request.background);
  let start = 0;
  for (const pass of layout) {
    if (!unfilter(raw, start, pass.rows, pass.rowBytes, bpp)) return undefined;
    for (let r = 0; r < pass.rows; r++) {
      if (!compositor.row(raw, start + r * (pass.rowBytes + 1) + 1, pass.columns, pass.y0 + r * pass.dy, pass.x0, pass.dx)) return undefined;
    }
    start += pass.rows * (pass.rowBytes + 1);
  }
  return { data: compositor.pixels, width, height };
}
