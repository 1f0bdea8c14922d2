/**
 * Real batches streamed from a dataset cache by offset reads: the same
 * images in the same order as the epoch's shuffle picks from the whole
 * array, read ahead of the step, resumable anywhere, and a cache cut short
 * under a running trainer fails with a clear error.
 */
import { mkdtemp, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetSource, importDataset, loadDataset, openDataset, type DatasetReader } from '../data';
import { epochOrder, stepsPerEpoch } from './batches';
import { BatchSource, READ_AHEAD } from './batch-source';
import { writeSquaresDataset } from '../common/test-support';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'batch-source-'));
});

/** The batch as the in-memory trainer picked it: images[order[b·B … (b+1)·B)] of the whole array. */
function pickedFromMemory(images: Uint8Array, imageBytes: number, order: Uint32Array, batch: number, batchSize: number): Uint8Array {
  const out = new Uint8Array(batchSize * imageBytes);
  for (let i = 0; i < batchSize; i += 1) {
    const source = order[batch * batchSize + i]! * imageBytes;
    out.set(images.subarray(source, source + imageBytes), i * imageBytes);
  }
  return out;
}

/** A reader that records every read it is asked for. */
function recording(reader: DatasetReader): { source: Pick<DatasetReader, 'read' | 'manifest'>; asked: number[][] } {
  const asked: number[][] = [];
  return { asked, source: { manifest: reader.manifest, read: (indices) => (asked.push(Array.from(indices)), reader.read(indices)) } };
}

describe('BatchSource', () => {
  it('reads every batch of the built-in sample exactly as the whole-array shuffle picked it, epoch after epoch', async () => {
    const { dir } = await importDataset(builtinDatasetSource(), {}, { cacheRoot: join(root, 'cache') });
    const whole = await loadDataset(dir);
    const reader = await openDataset(dir);
    const batchSize = 64;
    const seed = 11;
    const source = new BatchSource(reader, { seed, batchSize, epochs: 2 });
    const perEpoch = stepsPerEpoch(whole.manifest.count, batchSize);
    try {
      for (let epoch = 1; epoch <= 2; epoch += 1) {
        const order = epochOrder(seed, epoch, whole.manifest.count);
        for (let batch = 0; batch < perEpoch; batch += 1) {
          const expected = pickedFromMemory(whole.images, reader.imageBytes, order, batch, batchSize);
          const got = await source.take(epoch, batch);
          if (!Buffer.from(got).equals(Buffer.from(expected))) throw new Error(`epoch ${epoch} batch ${batch} differs from the in-memory pick`);
        }
      }
    } finally {
      await source.close();
      await reader.close();
    }
  });

  it('reads READ_AHEAD batches ahead, into the next epoch, and never past the last one', async () => {
    const reader = await openDataset(await writeSquaresDataset(join(root, 'ahead'), 20));
    const { source, asked } = recording(reader);
    // 20 images, batch 8: 2 batches per epoch, 3 epochs.
    const batches = new BatchSource(source, { seed: 3, batchSize: 8, epochs: 3 });
    await batches.take(1, 0);
    expect(asked).toHaveLength(1 + READ_AHEAD);
    expect(asked.every((indices) => indices.length === 8)).toBe(true);
    expect(asked[2]).toEqual(Array.from(epochOrder(3, 2, 20).subarray(0, 8)));
    await batches.take(1, 1);
    await batches.take(2, 0);
    await batches.take(2, 1);
    await batches.take(3, 0);
    await batches.take(3, 1);
    // Six batches in all, each read once.
    expect(asked).toHaveLength(6);
    await batches.close();
    await reader.close();
  });

  it('started mid-run (a resume), reads the same batches as a source that ran from the start', async () => {
    const reader = await openDataset(await writeSquaresDataset(join(root, 'resume'), 50));
    const plan = { seed: 9, batchSize: 8, epochs: 3 };
    const uninterrupted = new BatchSource(reader, plan);
    const all: Uint8Array[] = [];
    for (let epoch = 1; epoch <= 3; epoch += 1) for (let batch = 0; batch < 6; batch += 1) all.push(await uninterrupted.take(epoch, batch));
    const resumed = new BatchSource(reader, plan);
    const after: Uint8Array[] = [];
    for (let batch = 4; batch < 6; batch += 1) after.push(await resumed.take(2, batch));
    for (let batch = 0; batch < 6; batch += 1) after.push(await resumed.take(3, batch));
    expect(after).toEqual(all.slice(6 + 4));
    await Promise.all([uninterrupted.close(), resumed.close()]);
    await reader.close();
  });

  it('fails the step that needs a batch the cache no longer holds, and a failed read-ahead is no unhandled error', async () => {
    const dir = await writeSquaresDataset(join(root, 'cut'), 40);
    const reader = await openDataset(dir);
    const batches = new BatchSource(reader, { seed: 1, batchSize: 8, epochs: 1 });
    await truncate(join(dir, 'images.u8'), 256);
    await expect(batches.take(1, 0)).rejects.toThrow(/changed while it was read: images\.u8: expected 256 bytes at offset \d+/);
    await batches.close();
    await reader.close();
  });
});
