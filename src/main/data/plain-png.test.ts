/**
 * The plain-PNG fast path must give exactly sharp's pixels (the cache stays
 * byte-identical): every colour type and bit depth it takes, every row
 * filter, Adam7, tRNS, alpha onto black, white and a colour, compared with
 * sharp itself; and whatever it does not take goes to sharp untouched.
 */
import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode';
import { parseHexColour } from './pixels';
import { decodePlainPng } from './plain-png';
import { encodePng, pngChunk, sharpPixels } from './png-test-images';
import type { PngSpec } from './png-test-images';

/** A deterministic stream of numbers below n. */
function numbers(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
}

/** One PNG of each kind the fast path takes, at `width` × `height`, with random content. */
function plainKinds(width: number, height: number, interlaced: boolean, seed: number): [string, PngSpec][] {
  const next = numbers(seed);
  const grid = <T>(make: () => T): T[] => Array.from({ length: width * height }, make);
  const at = <T>(cells: T[]) => (x: number, y: number) => cells[y * width + x]!;
  const base = { width, height, interlaced };
  const kinds: [string, PngSpec][] = [];
  for (const bitDepth of [1, 2, 4, 8] as const) {
    const gray = at(grid(() => [next(2 ** bitDepth)]));
    kinds.push([`gray ${bitDepth}-bit`, { ...base, colorType: 0, bitDepth, sample: gray }]);
    kinds.push([`gray ${bitDepth}-bit, tRNS key`, { ...base, colorType: 0, bitDepth, sample: gray, transparency: [0, gray(0, 0)[0]!] }]);
    const entries = 1 + next(2 ** bitDepth);
    const palette = Array.from({ length: entries }, () => [next(256), next(256), next(256)] as [number, number, number]);
    const index = at(grid(() => [next(entries)]));
    kinds.push([`palette ${bitDepth}-bit`, { ...base, colorType: 3, bitDepth, palette, sample: index }]);
    kinds.push([`palette ${bitDepth}-bit, tRNS`, { ...base, colorType: 3, bitDepth, palette, sample: index, transparency: palette.slice(0, Math.max(1, entries - 1)).map(() => next(256)) }]);
  }
  const rgba = grid(() => [next(256), next(256), next(256), next(256)]);
  // Full and zero alpha, and a pixel whose colour is the tRNS key below.
  rgba[0] = [rgba[0]![0]!, rgba[0]![1]!, rgba[0]![2]!, 255];
  if (rgba.length > 1) rgba[1] = [rgba[0]![0]!, rgba[0]![1]!, rgba[0]![2]!, 0];
  const [r, g, b] = rgba[0]!;
  kinds.push(['RGB', { ...base, colorType: 2, bitDepth: 8, sample: (x, y) => at(rgba)(x, y).slice(0, 3) }]);
  kinds.push(['RGB, tRNS key', { ...base, colorType: 2, bitDepth: 8, sample: (x, y) => at(rgba)(x, y).slice(0, 3), transparency: [0, r!, 0, g!, 0, b!] }]);
  kinds.push(['gray + alpha', { ...base, colorType: 4, bitDepth: 8, sample: (x, y) => [at(rgba)(x, y)[0]!, at(rgba)(x, y)[3]!] }]);
  kinds.push(['RGBA', { ...base, colorType: 6, bitDepth: 8, sample: at(rgba) }]);
  const ignored: [string, Uint8Array][] = [
    ['gAMA', Uint8Array.from([0, 0, 0xb1, 0x8f])],
    ['sRGB', Uint8Array.from([0])],
    ['cHRM', new Uint8Array(32).fill(7)],
    ['tEXt', Buffer.from('Comment\0made for a test')],
    ['pHYs', Uint8Array.from([0, 0, 11, 19, 0, 0, 11, 19, 1])],
    ['sBIT', Uint8Array.from([5, 6, 5])],
    ['bKGD', Uint8Array.from([0, 9, 0, 9, 0, 9])],
    ['tIME', Uint8Array.from([7, 234, 12, 7, 12, 0, 0])],
  ];
  kinds.push(['RGB with the chunks libvips ignores', { ...base, colorType: 2, bitDepth: 8, sample: (x, y) => at(rgba)(x, y).slice(0, 3), extraChunks: ignored }]);
  return kinds;
}

const BACKGROUNDS = ['#000000', '#ffffff', '#ff8000'];

describe('plain PNGs', () => {
  it('decode to exactly the pixels sharp gives, for every kind, filter, interlacing and background', async () => {
    let compared = 0;
    for (const [width, height] of [[1, 1], [3, 5], [13, 9], [17, 33]] as const) {
      for (const interlaced of [false, true]) {
        for (const [name, spec] of plainKinds(width, height, interlaced, width * 1000 + height + (interlaced ? 7 : 0))) {
          const png = encodePng(spec);
          for (const background of BACKGROUNDS) {
            const mine = decodePlainPng(png, { background: parseHexColour(background), maxPixels: 1 << 26 });
            const label = `${name}, ${width}×${height}${interlaced ? ' interlaced' : ''} on ${background}`;
            expect(mine, label).toBeDefined();
            const reference = await sharpPixels(png, { fit: 'cover', background });
            expect({ width: mine!.width, height: mine!.height }, label).toEqual({ width: reference.width, height: reference.height });
            expect(Buffer.from(mine!.data).equals(reference.data), label).toBe(true);
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(4 * 2 * 21 * BACKGROUNDS.length);
  });

  it('composite every alpha value as libvips does: (v·a + bg·(255 − a)) / 255, truncated', async () => {
    // Column = colour value, row = alpha: all 65,536 pairs, on a background whose channels differ.
    const spec: PngSpec = { width: 256, height: 256, colorType: 6, bitDepth: 8, sample: (x, y) => [x, 255 - x, (x * 7) & 255, y] };
    const png = encodePng(spec);
    const mine = decodePlainPng(png, { background: { r: 0x12, g: 0x34, b: 0x56 }, maxPixels: 1 << 26 })!;
    expect(Buffer.from(mine.data).equals((await sharpPixels(png, { fit: 'cover', background: '#123456' })).data)).toBe(true);
    // Pinned on known numbers too: value 200 at alpha 100 over 0x12 = (200·100 + 18·155) / 255 = 89.37 → 89.
    expect(mine.data[(100 * 256 + 200) * 3]).toBe(89);
  });

  it('takes a square size only when the image already has it (a resize stays with sharp)', async () => {
    const png = encodePng({ width: 8, height: 8, colorType: 2, bitDepth: 8, sample: (x, y) => [x * 30, y * 30, 99] });
    const same = decodePlainPng(png, { background: { r: 0, g: 0, b: 0 }, maxPixels: 1 << 26, size: 8 });
    expect(Buffer.from(same!.data).equals((await sharpPixels(png, { size: 8, fit: 'cover', background: '#000000' })).data)).toBe(true);
    expect(decodePlainPng(png, { background: { r: 0, g: 0, b: 0 }, maxPixels: 1 << 26, size: 4 })).toBeUndefined();
    expect(decodePlainPng(png, { background: { r: 0, g: 0, b: 0 }, maxPixels: 63 })).toBeUndefined();
  });

  it('leaves to sharp what it does not take, and decodeImage then gives sharp’s pixels or error', async () => {
    const rgb: PngSpec = { width: 5, height: 4, colorType: 2, bitDepth: 8, sample: (x, y) => [x * 50, y * 60, 7] };
    const good = encodePng(rgb);
    const ihdrEnd = 8 + 25;
    const withChunk = (type: string, data: Uint8Array): Buffer => Buffer.concat([good.subarray(0, ihdrEnd), pngChunk(type, data), good.subarray(ihdrEnd)]);
    const badCrc = Buffer.from(good);
    badCrc[ihdrEnd + 8 + 2]! ^= 1;
    const unusual: [string, Buffer][] = [
      ['16-bit', encodePng({ ...rgb, bitDepth: 16, sample: (x, y) => [x * 12850, y * 15420, 1799] })],
      ['a colour profile (iCCP)', withChunk('iCCP', Buffer.concat([Buffer.from('p\0\0'), Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])]))],
      ['EXIF (orientation)', withChunk('eXIf', Buffer.from('MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0', 'latin1'))],
      ['an unknown chunk', withChunk('zzZZ', Uint8Array.from([1, 2, 3]))],
      ['a wrong CRC', badCrc],
      ['bytes after IEND', Buffer.concat([good, Buffer.from([0])])],
      ['cut short', good.subarray(0, good.length - 20)],
      ['a palette index past the palette', encodePng({ width: 2, height: 1, colorType: 3, bitDepth: 8, palette: [[1, 2, 3]], sample: (x) => [x * 5] })],
    ];
    for (const [name, png] of unusual) {
      expect(decodePlainPng(png, { background: { r: 0, g: 0, b: 0 }, maxPixels: 1 << 26 }), name).toBeUndefined();
      const reference = await sharpPixels(png, { fit: 'cover', background: '#000000' }).catch((error: Error) => error);
      const decoded = await decodeImage(png, { fit: 'cover', background: '#000000' }, 1 << 26).catch((error: Error) => error);
      if (reference instanceof Error) expect(decoded, name).toEqual(reference);
      else expect(decoded instanceof Error ? decoded : Buffer.from(decoded.data).equals(reference.data), name).toBe(true);
    }
  });
});
