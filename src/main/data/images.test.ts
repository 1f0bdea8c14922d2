import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { formatImportReport, importDataset, loadDataset } from './index';
import type { DatasetError } from './index';
import { encodeImage, importError, put, useTempCache } from './test-support';

let root: string;
let cacheRoot: string;
useTempCache((folders) => ({ root, cacheRoot } = folders));

const red = { width: 8, height: 8, channels: 3, fill: [255, 0, 0] } as const;
const gray = { width: 8, height: 8, channels: 1, fill: [100] } as const;

describe('image folders', () => {
  it('imports PNG, JPEG and WebP recursively with first-level folders as classes', async () => {
    const src = join(root, 'pets');
    await put(join(src, 'cats', 'a.png'), await encodeImage(red));
    await put(join(src, 'cats', 'deep', 'b.jpg'), await encodeImage({ ...red, format: 'jpeg' }));
    await put(join(src, 'dogs', 'c.webp'), await encodeImage({ ...red, fill: [0, 0, 255], format: 'webp' }));
    await put(join(src, '.DS_Store'), 'litter');
    const { dir, manifest, cached } = await importDataset(src, {}, { cacheRoot });
    expect(cached).toBe(false);
    expect(manifest).toMatchObject({ name: 'pets', count: 3, width: 8, height: 8, channels: 3, hasLabels: true, classNames: ['cats', 'dogs'], classCounts: [2, 1], skipped: [] });
    expect(manifest.source.kind).toBe('folder');
    const { images, labels } = await loadDataset(dir);
    expect(images.length).toBe(3 * 8 * 8 * 3);
    expect([...labels!]).toEqual([0, 0, 1]);
    expect([...images.subarray(0, 3)]).toEqual([255, 0, 0]);
    expect([...images.subarray(2 * 192, 2 * 192 + 3)]).toEqual([0, 0, 255]);
  });

  it('keeps a folder of gray images gray and leaves top-level images unlabelled', async () => {
    const src = join(root, 'flat');
    await put(join(src, 'a.png'), await encodeImage(gray));
    await put(join(src, 'b.png'), await encodeImage(gray));
    const { dir, manifest } = await importDataset(src, {}, { cacheRoot });
    expect(manifest).toMatchObject({ count: 2, channels: 1, hasLabels: false, classNames: [] });
    const { images, labels } = await loadDataset(dir);
    expect(labels).toBeUndefined();
    expect(images.every((v) => v === 100)).toBe(true);
    expect((await importError(cacheRoot, src, { classes: ['a'] })).message).toMatch(/has no classes/);
  });

  it('skips and reports mislabelled and non-image files, and symbolic links', async () => {
    const src = join(root, 'mixed');
    await put(join(src, 'good.png'), await encodeImage(red));
    await put(join(src, 'fake.png'), 'this is text, not a PNG');
    await put(join(src, 'notes.txt'), 'hello');
    await symlink(join(src, 'good.png'), join(src, 'link.png'));
    const { manifest } = await importDataset(src, {}, { cacheRoot });
    expect(manifest.count).toBe(1);
    const reasons = Object.fromEntries(manifest.skipped.map((s) => [s.file, s.reason]));
    expect(reasons['fake.png']).toMatch(/not a readable image/);
    expect(reasons['notes.txt']).toMatch(/not an image file \(\.txt\)/);
    expect(reasons['link.png']).toMatch(/symbolic link/);
  });

  it('skips images above the pixel limit', async () => {
    const src = join(root, 'big');
    await put(join(src, 'small.png'), await encodeImage(red));
    await put(join(src, 'huge.png'), await encodeImage({ ...red, width: 64, height: 64 }));
    const { manifest } = await importDataset(src, { size: 8 }, { cacheRoot, limits: { maxImagePixels: 1000 } });
    expect(manifest.count).toBe(1);
    expect(manifest.skipped).toEqual([{ file: 'huge.png', reason: expect.stringMatching(/1,000-pixel limit/) }]);
  });
});

describe('options', () => {
  it('cover crops the centre, contain pads with the background', async () => {
    const src = join(root, 'wide');
    // 16×8: left half red, right half blue.
    const raw = Buffer.alloc(16 * 8 * 3);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 16; x++) raw.set(x < 8 ? [255, 0, 0] : [0, 0, 255], (y * 16 + x) * 3);
    await put(join(src, 'wide.png'), await sharp(raw, { raw: { width: 16, height: 8, channels: 3 } }).png().toBuffer());

    const cover = await loadDataset((await importDataset(src, { size: 8, fit: 'cover' }, { cacheRoot })).dir);
    // Centre crop keeps columns 4..11: the first pixel is red, the last blue.
    expect([...cover.images.subarray(0, 3)]).toEqual([255, 0, 0]);
    expect([...cover.images.subarray(7 * 3, 8 * 3)]).toEqual([0, 0, 255]);

    const contain = await loadDataset((await importDataset(src, { size: 8, fit: 'contain', background: '#00ff00' }, { cacheRoot })).dir);
    // 16×8 scaled to 8×4, padded 2 rows top and bottom with green.
    expect([...contain.images.subarray(0, 3)]).toEqual([0, 255, 0]);
    expect([...contain.images.subarray((7 * 8 + 7) * 3, (7 * 8 + 8) * 3)]).toEqual([0, 255, 0]);
    expect([...contain.images.subarray(3 * 8 * 3, 3 * 8 * 3 + 3)]).toEqual([255, 0, 0]);
  });

  it('converts RGB to gray by luminance and gray to RGB by repetition', async () => {
    const src = join(root, 'colours');
    await put(join(src, 'a.png'), await encodeImage(red));
    const toGray = await importDataset(src, { channels: 1 }, { cacheRoot });
    expect(toGray.manifest.channels).toBe(1);
    expect((await loadDataset(toGray.dir)).images[0]).toBe(Math.round(0.299 * 255));

    const graySrc = join(root, 'grays');
    await put(join(graySrc, 'g.png'), await encodeImage(gray));
    const toRgb = await importDataset(graySrc, { channels: 3 }, { cacheRoot });
    expect(toRgb.manifest.channels).toBe(3);
    expect([...(await loadDataset(toRgb.dir)).images.subarray(0, 3)]).toEqual([100, 100, 100]);
  });

  it('composites transparent pixels onto the background colour', async () => {
    const src = join(root, 'alpha');
    await put(join(src, 'clear.png'), await encodeImage({ width: 4, height: 4, channels: 4, fill: [255, 0, 0, 0] }));
    const white = await loadDataset((await importDataset(src, { background: '#ffffff' }, { cacheRoot })).dir);
    expect([...white.images.subarray(0, 3)]).toEqual([255, 255, 255]);
    const blue = await loadDataset((await importDataset(src, { background: '#0000ff' }, { cacheRoot })).dir);
    expect([...blue.images.subarray(0, 3)]).toEqual([0, 0, 255]);
  });

  it('filters classes and caps the image count', async () => {
    const src = join(root, 'three');
    for (const cls of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) await put(join(src, cls, `${i}.png`), await encodeImage(red));
    const filtered = await importDataset(src, { classes: ['c', 'a'] }, { cacheRoot });
    expect(filtered.manifest).toMatchObject({ count: 6, classNames: ['a', 'c'], classCounts: [3, 3] });
    expect([...(await loadDataset(filtered.dir)).labels!]).toEqual([0, 0, 0, 1, 1, 1]);
    const capped = await importDataset(src, { maxImages: 4 }, { cacheRoot });
    expect(capped.manifest).toMatchObject({ count: 4, classCounts: [3, 1, 0] });
    const unknown = await importError(cacheRoot, src, { classes: ['zebra'] });
    expect(unknown.message).toMatch(/Unknown class "zebra"/);
    expect(unknown.hint).toMatch(/a, b, c/);
  });

  it('rejects invalid options with a DatasetError', async () => {
    const src = join(root, 'one');
    await put(join(src, 'a.png'), await encodeImage(red));
    expect((await importError(cacheRoot, src, { size: 2 })).message).toMatch(/Invalid import option size/);
  });
});

describe('bad folders', () => {
  it('refuses a missing path, an empty folder, a folder without usable images and a single image', async () => {
    expect((await importError(cacheRoot, join(root, 'nope'))).message).toMatch(/No such file or folder/);
    await put(join(root, 'empty', '.keep'), '');
    expect((await importError(cacheRoot, join(root, 'empty'))).message).toMatch(/folder is empty/);
    await put(join(root, 'junk', 'a.png'), 'not an image');
    await put(join(root, 'junk', 'b.txt'), 'text');
    const junk = await importError(cacheRoot, join(root, 'junk'));
    expect(junk.message).toMatch(/No usable images: all 2 files were skipped/);
    const single = await put(join(root, 'x.png'), await encodeImage(red));
    expect((await importError(cacheRoot, single)).message).toMatch(/single image/);
  });

  it("gives hints in the studio's words unless the CLI asks for its own", async () => {
    const src = join(root, 'one');
    await put(join(src, 'a.png'), await encodeImage(red));
    const gui = await importError(cacheRoot, src, { size: 2000 });
    expect(gui.hint).toMatch(/^"Resize to" must be 4–1024 pixels/);
    expect(gui.hint).not.toMatch(/--/);
    const missing = await importError(cacheRoot, join(root, 'nowhere'));
    expect(missing.hint).toBe('Check the path, or drop the folder or file onto the window.');
    const cli = await importDataset(join(root, 'nowhere'), {}, { cacheRoot, frontEnd: 'cli' }).catch((e: unknown) => e);
    expect((cli as DatasetError).hint).toBe('Check the path (quote it if it contains spaces), or pass its full path.');
  });

  it('brings images of mixed sizes to one square by centre crop (64 by default, or mixedSize) and says so', async () => {
    const src = join(root, 'sizes');
    await put(join(src, 'a.png'), await encodeImage(red));
    // 16×8: blue edges, a green 8×8 centre, so the centre crop is exactly green.
    const wide = Buffer.alloc(16 * 8 * 3);
    for (let x = 0; x < 16; x++) for (let y = 0; y < 8; y++) wide.set(x >= 4 && x < 12 ? [0, 255, 0] : [0, 0, 255], (y * 16 + x) * 3);
    await put(join(src, 'b.png'), await sharp(wide, { raw: { width: 16, height: 8, channels: 3 } }).png().toBuffer());
    const eight = await importDataset(src, { mixedSize: 8 }, { cacheRoot });
    expect(eight.manifest).toMatchObject({ count: 2, width: 8, height: 8, channels: 3, mixedSizes: { resized: 1, size: 8 } });
    const pixels = (await loadDataset(eight.dir)).images;
    expect([...pixels.subarray(0, 3)]).toEqual([255, 0, 0]);
    expect(new Set(pixels.subarray(192))).toEqual(new Set([0, 255]));
    expect([...pixels.subarray(192, 195)]).toEqual([0, 255, 0]);
    expect(formatImportReport(eight.manifest)).toMatch(/^Resized: 1 image of mixed sizes was centre-cropped and resized to 8×8$/m);
    const byDefault = await importDataset(src, {}, { cacheRoot });
    expect(byDefault.manifest).toMatchObject({ count: 2, width: 64, height: 64, mixedSizes: { resized: 2, size: 64 } });
    expect([...(await loadDataset(byDefault.dir)).images.subarray(64 * 64 * 3 + 99, 64 * 64 * 3 + 102)]).toEqual([0, 255, 0]);
    expect(formatImportReport(byDefault.manifest)).toMatch(/^Resized: 2 images of mixed sizes were centre-cropped and resized to 64×64$/m);
  });
});
