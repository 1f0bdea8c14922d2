/**
 * The data-scale bench end to end at a small size: it writes and imports a
 * synthetic NPY, trains a real trainer process on it, reports the JSON
 * object the issue names, and leaves nothing in its scratch folder.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PEAK_RSS_LIMIT_BYTES, runDataScaleBench } from './bench-data-scale';

describe('bench --data-scale', () => {
  afterEach(() => vi.restoreAllMocks());

  it('imports and trains a synthetic dataset, prints one JSON object, and cleans up', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'data-scale-test-'));
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const code = await runDataScaleBench(['--gib', '0.02', '--steps', '8', '--preset', 'tiny', '--batch-size', '16', '--backend', 'cpu', '--json', '--dir', dir]);
      expect(code).toBe(0);
      const result = JSON.parse(String(out.mock.calls.at(-1)![0])) as Record<string, number>;
      const images = Math.ceil((0.02 * 1024 ** 3) / 256);
      expect(result).toMatchObject({ images, datasetBytes: images * 256, imageShape: '16×16×1', steps: 8, batchSize: 16, preset: 'tiny' });
      expect(result.importImagesPerSecond).toBeGreaterThan(0);
      expect(result.stepMs).toBeGreaterThan(0);
      expect(result.peakRssBytes).toBeGreaterThan(50 * 1024 ** 2);
      expect(result.peakRssBytes).toBeLessThan(PEAK_RSS_LIMIT_BYTES);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('refuses an unknown preset and a disk too small, before writing anything', async () => {
    await expect(runDataScaleBench(['--preset', 'nope'])).rejects.toThrow(/expected --preset to be one of/);
    await expect(runDataScaleBench(['--gib', '100000'])).rejects.toThrow(/free in .*the NPY and its import/);
  });
});
