/**
 * Archive limits in proportion to the archive: no fixed cap on the total
 * (an archive past the old 8 GiB one imports), while what makes a zip bomb
 * is refused — entries sharing their compressed data, claims no compressed
 * data can honour, a tar.gz going on long after its end — and whatever an
 * import would write must fit on the cache's disk.
 */
import { existsSync } from 'node:fs';
import { readdir, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { defaultKeepFree } from './disk-budget';
import { DatasetError, importDataset } from './index';
import type { ImportLimits } from './index';
import { buildTar, buildZip, cifarBatch, encodeImage, idxFile, put, useTempCache } from './test-support';

let root: string;
let cacheRoot: string;
useTempCache((folders) => ({ root, cacheRoot } = folders));

const MiB = 1024 * 1024;
const tile = (): Promise<Buffer> => encodeImage({ width: 4, height: 4, channels: 3, fill: [10, 20, 30] });

async function refused(source: string, limits: Partial<ImportLimits> = {}): Promise<DatasetError> {
  const error = await importDataset(source, {}, { cacheRoot, limits }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DatasetError);
  expect(await readdir(cacheRoot).catch(() => [])).toEqual([]);
  return error as DatasetError;
}

describe('archive limits', () => {
  it('have no fixed total: a zip declaring 8.25 GiB (past the old 8 GiB cap) imports', async () => {
    const zeros = Buffer.alloc(128 * MiB);
    const [deflated, crc] = [deflateRawSync(zeros), crc32(zeros)];
    const padding = Array.from({ length: 66 }, (_, i) => ({ name: `set/zeros-${String(i).padStart(2, '0')}.png`, data: zeros, deflated, crc }));
    const zip = await put(join(root, 'large.zip'), buildZip([{ name: 'set/ok.png', data: await tile() }, ...padding]));
    // A total cap can still be set, and then refuses it from the listing.
    expect((await refused(zip, { maxTotalBytes: 8 * 1024 * MiB })).message).toMatch(/would decompress to more than the 8\.0 GB total limit/);
    const { manifest } = await importDataset(zip, {}, { cacheRoot });
    expect(manifest.count).toBe(1);
    expect(manifest.skipped).toHaveLength(66);
  }, 60_000);

  it('refuse zip entries that share their compressed data (how zip bombs reach millions to one)', async () => {
    const image = await tile();
    const zip = buildZip([{ name: 'a.png', data: image }, { name: 'b.png', data: image }]);
    // Point the second central-directory record at the first entry's local header and data.
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 1);
    zip.writeUInt32LE(0, central + 42);
    const message = (await refused(await put(join(root, 'overlap.zip'), zip))).message;
    expect(message).toMatch(/^Refusing overlap\.zip: entries "a\.png" and "b\.png" share their compressed data, the trick of zip bombs\.$/);
  });

  it('refuse zip entries claiming more than deflate can give, before inflating a byte', async () => {
    const image = await tile();
    const deflated = await put(join(root, 'deflated.zip'), buildZip([{ name: 'a.png', data: image, claimedSize: 100 * MiB }]));
    expect((await refused(deflated)).message).toMatch(/^Refusing deflated\.zip: entry "a\.png" claims to decompress to 100 MB from \d+ B, more than deflate can give\.$/);
  });

  it('refuse a tar.gz that goes on inflating long after its end, and read past short padding', async () => {
    const tar = buildTar([{ name: 'a.png', data: await tile() }]);
    const endless = await put(join(root, 'endless.tar.gz'), gzipSync(Buffer.concat([tar, Buffer.alloc(20 * MiB)])));
    expect((await refused(endless)).message).toBe('Refusing endless.tar.gz: it goes on for more than 16 MB after the end of the archive.');
    const padded = await put(join(root, 'padded.tar.gz'), gzipSync(Buffer.concat([tar, Buffer.alloc(4 * MiB)])));
    expect((await importDataset(padded, {}, { cacheRoot })).manifest.count).toBe(1);
  });

  it('refuse a gzipped IDX header promising more than its data can inflate to, before reading pixels', async () => {
    const images = await put(join(root, 'lie', 'x-images-idx3-ubyte.gz'), idxFile([10_000_000, 28, 28], new Uint8Array(28 * 28), true));
    expect((await refused(images)).message).toMatch(/claims 10,000,000 images of 28×28×1 \(7\.3 GB\), more than its \d+ B of gzip data can hold/);
  });

  it('refuse an import that would take the disk below the space kept free, saying how much there is', async () => {
    const keepEverything = { keepFreeBytes: Number.MAX_SAFE_INTEGER };
    const folder = join(root, 'folder');
    await put(join(folder, 'a.png'), await tile());
    const cifar = await put(join(root, 'cifar.zip'), buildZip([{ name: 'c/data_batch_1.bin', data: cifarBatch([{ label: 1, rgb: [1, 2, 3] }], 'cifar10') }]));
    const tar = await put(join(root, 'big.tar'), buildTar([{ name: 'a.png', data: await tile() }, { name: 'notes.bin', data: Buffer.alloc(2 * MiB) }]));
    for (const source of [folder, cifar, tar]) {
      const error = await refused(source, keepEverything);
      expect(error.message, source).toMatch(/^Not enough disk space for this import: it needs more than the 0 B it may use in .+ \(.+ free, .+ kept free\)\.$/);
      expect(error.hint).toMatch(/Free some space on that disk/);
    }
    // The scratch folders went with the refusal (refused() checked the cache root), and nothing was extracted beside the archives.
    expect(existsSync(join(root, 'c'))).toBe(false);
  });

  it('stop an import that runs out of its disk space part way, leaving nothing behind', async () => {
    // 16 entries of 4 MiB each to extract, with room for 16 MiB: the fifth entry is refused after four were written.
    const notes = Array.from({ length: 16 }, (_, i) => ({ name: `notes-${i}.bin`, data: Buffer.alloc(4 * MiB, i) }));
    const tar = await put(join(root, 'part.tar'), buildTar([{ name: 'a.png', data: await tile() }, ...notes]));
    const { bavail, bsize } = await statfs(root); // the disk of the cache root (made by the import)
    const error = await refused(tar, { keepFreeBytes: bavail * bsize - 16 * MiB });
    expect(error.message).toMatch(/^Not enough disk space for this import: it needs more than the 16 MB it may use in .+\.$/);
  });

  it('end an import whose entry cannot be written (as on a full disk) with an error, not a wait that never settles', async () => {
    // "x/a.bin" cannot be made under the file "x": the failed write used to leave tar's parser waiting forever.
    const tar = await put(join(root, 'blocked.tar'), buildTar([{ name: 'x', data: Buffer.alloc(2 * MiB) }, { name: 'x/a.bin', data: Buffer.alloc(2 * MiB) }, { name: 'b.png', data: await tile() }]));
    expect((await refused(tar)).message).toMatch(/^blocked\.tar is not a readable tar archive \(EEXIST: file already exists, mkdir /);
  }, 20_000);

  it('keep 1 GiB free by default, or half the free space on a nearly full disk (a small import there still works)', () => {
    const GiB = 1024 * MiB;
    expect(defaultKeepFree(76 * GiB)).toBe(GiB);
    expect(defaultKeepFree(2 * GiB)).toBe(GiB);
    expect(defaultKeepFree(800 * MiB)).toBe(400 * MiB);
    expect(defaultKeepFree(0)).toBe(0);
  });
});
