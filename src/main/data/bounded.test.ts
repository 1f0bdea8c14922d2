/**
 * Hostile and huge inputs stay bounded by their size: the work an import
 * does grows linearly with the input (checked structurally, by the bytes
 * copied, not by timing), and declared sizes are checked before reading.
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { importDataset } from './index';
import { ByteStream } from './sources/byte-stream';
import { buildTar, encodeImage, idxFile, importError, npyFile, put, useTempCache } from './test-support';

let root: string;
let cacheRoot: string;
useTempCache((folders) => ({ root, cacheRoot } = folders));
afterEach(() => vi.restoreAllMocks());

/** Counts the bytes every Buffer.concat call produces while `work` runs (a quadratic reader copies far more than its input). */
async function bytesConcatenated(work: () => Promise<unknown>): Promise<number> {
  let total = 0;
  const original = Buffer.concat;
  vi.spyOn(Buffer, 'concat').mockImplementation((list, length) => {
    const out = original(list, length);
    total += out.length;
    return out;
  });
  await work();
  vi.restoreAllMocks();
  return total;
}

const MiB = 1024 * 1024;

describe('tar archives with data after the end-of-archive blocks', () => {
  it('skip the trailing zeros without buffering them (8 MiB of padding used to be copied ~200 times over)', async () => {
    const noise = Buffer.from(Array.from({ length: 256 * 1024 }, (_, i) => (i * 2654435761) >>> 24));
    const tar = buildTar([{ name: 'a.png', data: await encodeImage({ width: 4, height: 4, channels: 3, fill: [1, 2, 3] }) }, { name: 'noise.bin', data: noise }]);
    const path = await put(join(root, 'padded.tar.gz'), gzipSync(Buffer.concat([tar, Buffer.alloc(8 * MiB)])));
    let count = 0;
    const copied = await bytesConcatenated(async () => ({ manifest: { count } } = await importDataset(path, {}, { cacheRoot })));
    expect(count).toBe(1);
    expect(copied).toBeLessThan(MiB);
  });
});

describe('gzipped IDX with one large image', () => {
  it('reads a record spread over many chunks by copying it once', async () => {
    const side = 1024;
    const pixels = new Uint8Array(side * side).map((_, i) => i % 251);
    const path = await put(join(root, 'big-images-idx3-ubyte.gz'), idxFile([1, side, side], pixels, true));
    const copied = await bytesConcatenated(async () => {
      const stream = await ByteStream.open(path, 'big');
      try {
        expect(await stream.read(16)).not.toBeNull();
        const record = await stream.read(side * side);
        expect(Buffer.compare(record!, Buffer.from(pixels))).toBe(0);
        expect(await stream.atEnd()).toBe(true);
      } finally {
        await stream.close();
      }
    });
    expect(copied).toBeLessThan(2 * side * side);
  });

  it('refuses declared image sizes over the pixel limit before reading any pixel', async () => {
    // 20000×20000 declared, with no pixel data at all: the header alone decides.
    const path = await put(join(root, 'huge-images-idx3-ubyte.gz'), idxFile([1, 20000, 20000], new Uint8Array(0), true));
    expect((await importError(cacheRoot, path)).message).toMatch(/declares images of 20000×20000 pixels, over the 67,108,864-pixel limit per image/);
  });

  it('refuses .npy images over the pixel limit from the header', async () => {
    const path = await put(join(root, 'wide.npy'), npyFile('|u1', [1, 8, 4096], new Uint8Array(8 * 4096)));
    const error = await importDataset(path, {}, { cacheRoot, limits: { maxImagePixels: 16 * 1024 } }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/4096×8 pixels, over the 16,384-pixel limit per image/);
  });
});
