/**
 * The cache an import writes is what the importer wrote before decoding
 * moved to threads and plain PNGs skipped sharp: each image as sharp's own
 * pipeline decodes it (sharpPixels), in source order, byte for byte — from a
 * folder, a zip, a tar and a tar.gz alike, for every kind of PNG and for
 * JPEG and WebP, with and without resizing and transparency.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { create as createTar } from 'tar';
import { describe, expect, it } from 'vitest';
import { importDataset, loadDataset } from './index';
import { encodePng, sharpPixels } from './png-test-images';
import type { PngSpec } from './png-test-images';
import { buildZip, encodeImage, put, useTempCache } from './test-support';

let root: string;
let cacheRoot: string;
useTempCache((folders) => ({ root, cacheRoot } = folders));

const [W, H] = [6, 5];
const value = (x: number, y: number, k: number): number => (x * 41 + y * 73 + k * 29) & 255;
const rgb = { width: W, height: H, bitDepth: 8 } as const;

/** PNGs of every kind the plain path takes, and some it leaves to sharp (16-bit, interlaced RGBA is taken too). */
function pngKinds(): [string, PngSpec][] {
  const palette = Array.from({ length: 16 }, (_, i) => [i * 16, 255 - i * 16, (i * 90) & 255] as [number, number, number]);
  return [
    ['gray1', { ...rgb, bitDepth: 1, colorType: 0, sample: (x, y) => [(x + y) & 1] }],
    ['gray4-trns', { ...rgb, bitDepth: 4, colorType: 0, sample: (x, y) => [(x * 3 + y) & 15], transparency: [0, 3] }],
    ['gray8', { ...rgb, colorType: 0, sample: (x, y) => [value(x, y, 0)] }],
    ['palette4-trns', { ...rgb, bitDepth: 4, colorType: 3, palette, sample: (x, y) => [(x + 2 * y) & 15], transparency: [0, 80, 160] }],
    ['rgb8', { ...rgb, colorType: 2, sample: (x, y) => [value(x, y, 0), value(x, y, 1), value(x, y, 2)] }],
    ['gray-alpha8', { ...rgb, colorType: 4, sample: (x, y) => [value(x, y, 0), value(x, y, 3)] }],
    ['rgba8-interlaced', { ...rgb, colorType: 6, interlaced: true, sample: (x, y) => [value(x, y, 0), value(x, y, 1), value(x, y, 2), value(x, y, 3)] }],
    ['rgb16', { ...rgb, bitDepth: 16, colorType: 2, sample: (x, y) => [value(x, y, 0) * 257, value(x, y, 1) * 250, 4000] }],
  ];
}

/** Files of the dataset (relative path → bytes), in two class folders, one of them unreadable. */
async function datasetFiles(): Promise<[string, Buffer][]> {
  const files: [string, Buffer][] = pngKinds().map(([name, spec], i) => [`set/${i % 2 ? 'b' : 'a'}/${name}.png`, encodePng(spec)]);
  files.push(['set/a/photo.jpg', await encodeImage({ width: W, height: H, channels: 3, fill: [200, 30, 90], format: 'jpeg' })]);
  files.push(['set/b/drawing.webp', await encodeImage({ width: W, height: H, channels: 4, fill: [20, 130, 250, 100], format: 'webp' })]);
  files.push(['set/b/broken.png', Buffer.from('not a png at all')]);
  return files;
}

async function sources(files: [string, Buffer][]): Promise<Record<'folder' | 'zip' | 'tar' | 'tar.gz', string>> {
  for (const [rel, data] of files) await put(join(root, 'src', rel), data);
  await createTar({ file: join(root, 'set.tar'), cwd: join(root, 'src') }, ['set']);
  await createTar({ gzip: true, file: join(root, 'set.tar.gz'), cwd: join(root, 'src') }, ['set']);
  return {
    folder: join(root, 'src', 'set'),
    zip: await put(join(root, 'set.zip'), buildZip(files.map(([name, data]) => ({ name, data })))),
    tar: join(root, 'set.tar'),
    'tar.gz': join(root, 'set.tar.gz'),
  };
}

describe('the cache', () => {
  it('holds sharp’s pixels for each image in source order, from a folder, zip, tar and tar.gz', async () => {
    const files = await datasetFiles();
    const bySource = await sources(files);
    const readable = files.filter(([rel]) => !rel.endsWith('broken.png')).sort(([a], [b]) => (a < b ? -1 : 1));
    for (const shape of [
      { fit: 'cover', background: '#000000' },
      { fit: 'cover', background: '#ff8000' },
      { fit: 'contain', background: '#20a040', size: 4 },
    ] as const) {
      const expected = Buffer.concat(await Promise.all(readable.map(async ([, data]) => (await sharpPixels(data, shape)).data)));
      const labels = readable.map(([rel]) => (rel.startsWith('set/a/') ? 0 : 1));
      for (const [kind, source] of Object.entries(bySource)) {
        const { dir, manifest } = await importDataset(source, shape, { cacheRoot });
        const label = `${kind}, ${JSON.stringify(shape)}`;
        expect(manifest, label).toMatchObject({ count: readable.length, channels: 3, classNames: ['a', 'b'], skipped: [{ file: 'b/broken.png' }] });
        const stored = await loadDataset(dir);
        expect(Buffer.from(stored.images).equals(expected), label).toBe(true);
        expect([...stored.labels!], label).toEqual(labels);
      }
    }
  });

  it('keeps a set of gray PNGs of every depth gray, as sharp decodes them', async () => {
    const gray: [string, PngSpec][] = [1, 2, 4, 8].map((bitDepth) => [`g${bitDepth}`, { width: 9, height: 7, bitDepth: bitDepth as 1 | 2 | 4 | 8, colorType: 0, sample: (x, y) => [(x * 5 + y * 3) % 2 ** bitDepth] }]);
    gray.push(['g8-trns', { width: 9, height: 7, bitDepth: 8, colorType: 0, sample: (x, y) => [x * 20 + y], transparency: [0, 21] }]);
    gray.push(['gray-palette', { width: 9, height: 7, bitDepth: 8, colorType: 3, palette: [[0, 0, 0], [90, 90, 90], [255, 255, 255]], sample: (x, y) => [(x + y) % 3] }]);
    for (const [name, spec] of gray) await put(join(root, 'grays', `${name}.png`), encodePng(spec));
    gray.sort(([a], [b]) => (`${a}.png` < `${b}.png` ? -1 : 1));
    const { dir, manifest } = await importDataset(join(root, 'grays'), {}, { cacheRoot });
    expect(manifest).toMatchObject({ count: gray.length, channels: 1 });
    const expected = await Promise.all(gray.map(async ([name]) => (await sharpPixels(await readFile(join(root, 'grays', `${name}.png`)), { fit: 'cover', background: '#000000' })).data));
    const redChannel = Buffer.concat(expected.map((rgbPixels) => rgbPixels.filter((_, i) => i % 3 === 0)));
    expect(Buffer.from((await loadDataset(dir)).images).equals(redChannel)).toBe(true);
  });
});
