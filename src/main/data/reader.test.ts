/**
 * Offset reads of a dataset cache: any images in any order, labels checked
 * once, and images.u8 beyond 4 GiB (a sparse file, so the test costs no
 * disk) — the old whole-file read could not hold more than 2 GiB.
 */
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetManifest } from '../../shared/dataset';
import { writeSquaresDataset } from '../common/test-support';
import { builtinDatasetSource, DatasetError, importDataset, loadDataset, openDataset } from './index';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dataset-reader-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('openDataset', () => {
  it('reads the images asked for, in the order asked, with the labels kept in memory', async () => {
    const { dir } = await importDataset(builtinDatasetSource(), {}, { cacheRoot: join(root, 'cache') });
    const whole = await loadDataset(dir);
    const reader = await openDataset(dir);
    try {
      expect(reader.imageBytes).toBe(784);
      expect(reader.labels).toEqual(whole.labels);
      const indices = [9999, 3, 4, 5, 0, 3];
      const got = await reader.read(indices);
      indices.forEach((index, i) => expect(Buffer.from(got.subarray(i * 784, (i + 1) * 784)).equals(Buffer.from(whole.images.subarray(index * 784, (index + 1) * 784)))).toBe(true));
      await expect(reader.read([10_000])).rejects.toThrow(/expected image indices in 0…9999, got 10000/);
    } finally {
      await reader.close();
    }
  });

  it('refuses labels outside the class list when opening', async () => {
    const dir = await writeSquaresDataset(join(root, 'labels'), 4);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as DatasetManifest;
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, hasLabels: true, classNames: ['a', 'b'], classCounts: [2, 2] }));
    await writeFile(join(dir, 'labels.u8'), Uint8Array.from([0, 1, 2, 0]));
    const error = await openDataset(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toMatch(/image 2 has label 2 but there are 2 classes/);
  });

  it('reads images beyond 4 GiB of images.u8', async () => {
    const dir = join(root, 'huge');
    await writeSquaresDataset(dir, 1, 64);
    const imageBytes = 64 * 64 * 3;
    const count = Math.ceil((4.5 * 1024 ** 3) / imageBytes);
    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as DatasetManifest;
    await writeFile(manifestPath, JSON.stringify({ ...manifest, count, channels: 3 }));
    const last = Uint8Array.from({ length: imageBytes }, (_, i) => (i * 7) % 251);
    const file = await open(join(dir, 'images.u8'), 'w');
    try {
      await file.truncate(count * imageBytes);
      await file.write(last, 0, imageBytes, (count - 1) * imageBytes);
    } finally {
      await file.close();
    }
    const reader = await openDataset(dir);
    try {
      const got = await reader.read([count - 1, 0]);
      expect((count - 1) * imageBytes).toBeGreaterThan(4 * 1024 ** 3);
      expect(Buffer.from(got.subarray(0, imageBytes)).equals(Buffer.from(last))).toBe(true);
      expect(got.subarray(imageBytes).every((v) => v === 0)).toBe(true);
    } finally {
      await reader.close();
    }
  });
});
