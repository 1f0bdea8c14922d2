import { readdir, readFile, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinDatasetSource, DatasetError, formatImportReport, importDataset, loadDataset } from './index';
import type { ImportProgress } from './index';
import { DATASET_SOURCE_KINDS } from '../../shared/dataset';
import { readCacheState } from './cache';
import { encodeImage, put, useTempCache } from './test-support';

let root: string;
let cacheRoot: string;
useTempCache((folders) => ({ root, cacheRoot } = folders));

async function imageFolder(count: number): Promise<string> {
  const src = join(root, 'src');
  const png = await encodeImage({ width: 8, height: 8, channels: 3, fill: [1, 2, 3] });
  for (let i = 0; i < count; i++) await put(join(src, `${i}.png`), png);
  return src;
}

describe('the built-in Fashion-MNIST sample', () => {
  it('imports 10,000 labelled 28×28 gray images with the Fashion-MNIST class names, then comes from the cache', async () => {
    const progress: ImportProgress[] = [];
    const first = await importDataset(builtinDatasetSource(), {}, { cacheRoot, onProgress: (p) => progress.push(p) });
    expect(first.cached).toBe(false);
    expect(first.manifest).toMatchObject({ name: 'Fashion-MNIST (test set)', count: 10_000, width: 28, height: 28, channels: 1, hasLabels: true, skipped: [] });
    expect(first.manifest.source.kind).toBe('builtin');
    expect(first.manifest.classNames).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    expect(first.manifest.classCounts).toEqual(Array(10).fill(1000));
    expect(progress.at(-1)).toEqual({ phase: 'done', done: 10_000, total: 10_000 });
    const { images, labels } = await loadDataset(first.dir);
    expect(images.length).toBe(10_000 * 28 * 28);
    // The first test image of Fashion-MNIST is an ankle boot.
    expect(labels![0]).toBe(9);
    expect(formatImportReport(first.manifest)).toMatch(/10,000 × 28×28, 1 channel \(gray\)[\s\S]*Ankle boot\s+1,000/);

    const started = performance.now();
    const second = await importDataset(builtinDatasetSource(), {}, { cacheRoot });
    // A cache hit only lists the folder and checks file lengths (about 10 ms; the bound allows a loaded machine).
    expect(performance.now() - started).toBeLessThan(1000);
    expect(second).toMatchObject({ cached: true, dir: first.dir, manifest: { createdAt: first.manifest.createdAt } });
  });
});

describe('cache', () => {
  it('re-imports when a file changes or the options change, and not otherwise', async () => {
    const src = await imageFolder(2);
    const first = await importDataset(src, {}, { cacheRoot });
    expect((await importDataset(src, {}, { cacheRoot })).cached).toBe(true);
    const resized = await importDataset(src, { size: 4 }, { cacheRoot });
    expect(resized.cached).toBe(false);
    expect(resized.dir).not.toBe(first.dir);
    await utimes(join(src, '0.png'), new Date(), new Date(Date.now() + 5000));
    const touched = await importDataset(src, {}, { cacheRoot });
    expect(touched.cached).toBe(false);
    expect(touched.dir).not.toBe(first.dir);
    expect((await readdir(cacheRoot)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('replaces a damaged cache folder, and loadDataset explains the damage', async () => {
    const src = await imageFolder(2);
    const { dir } = await importDataset(src, {}, { cacheRoot });
    await truncate(join(dir, 'images.u8'), 10);
    const error = await loadDataset(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).message).toMatch(/damaged: expected images\.u8 of 384 bytes, got 10/);
    const again = await importDataset(src, {}, { cacheRoot });
    expect(again).toMatchObject({ cached: false, dir });
    expect((await loadDataset(dir)).images.length).toBe(384);

    await writeFile(join(dir, 'manifest.json'), '{"version": 2}');
    expect(((await loadDataset(dir).catch((e: unknown) => e)) as Error).message).toMatch(/manifest\.json does not match/);
    expect(((await loadDataset(root).catch((e: unknown) => e)) as Error).message).toMatch(/not a dataset cache folder/);
  });

  it('reads a cache of every source kind an import writes as good, never as damaged (one list: DATASET_SOURCE_KINDS)', async () => {
    const { dir, manifest } = await importDataset(await imageFolder(1), {}, { cacheRoot });
    for (const kind of DATASET_SOURCE_KINDS) {
      await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, source: { ...manifest.source, kind } }));
      expect(await readCacheState(dir), kind).toMatchObject({ manifest: { source: { kind } } });
    }
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, source: { ...manifest.source, kind: 'hdf5' } }));
    expect(await readCacheState(dir)).toEqual({ damage: 'manifest.json does not match the expected format' });
  });

  it('writes the documented manifest', async () => {
    const src = await imageFolder(1);
    const { dir, manifest } = await importDataset(src, { maxImages: 5 }, { cacheRoot });
    const onDisk = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    expect(onDisk).toEqual(manifest);
    expect(manifest).toMatchObject({ version: 1, id: dir.split('/').at(-1), options: { fit: 'cover', background: '#000000', maxImages: 5 } });
    expect(manifest.id).toMatch(/^src-[0-9a-f]{16}$/);
    expect(manifest.source.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('honours an abort signal mid-import and leaves nothing behind', async () => {
    const src = await imageFolder(40);
    const controller = new AbortController();
    const seen: ImportProgress[] = [];
    const run = importDataset(src, {}, {
      cacheRoot,
      onProgress: (p) => {
        seen.push(p);
        if (p.phase === 'decode') controller.abort();
      },
      signal: controller.signal,
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    // Aborted after the first image was stored in the temporary folder, which is gone.
    expect(seen.filter((p) => p.phase === 'decode')).toEqual([{ phase: 'decode', done: 1, total: 40 }]);
    expect(await readdir(cacheRoot)).toEqual([]);
  });
});
