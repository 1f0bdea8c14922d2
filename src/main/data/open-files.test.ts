/**
 * Every file an importer opens is closed when the import ends — imported,
 * refused or aborted — by the importer, not by the garbage collector (Node
 * warns "Closing file descriptor N on garbage collection", and a plain file
 * stream left paused is never closed at all). Checked on Linux by listing
 * the process's open descriptors (/proc/self/fd) after each import, and by
 * collecting Node's warnings after a forced garbage collection.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importDataset } from './index';
import type { ImportProgress } from './index';
import { buildTar, buildZip, cifarBatch, encodeImage, idxFile, npyFile, put, useTempCache } from './test-support';

let root: string;
let cacheRoot: string;
useTempCache((folders) => ({ root, cacheRoot } = folders));

const warnings: string[] = [];
const onWarning = (warning: Error): void => void warnings.push(warning.message);
beforeEach(() => process.on('warning', onWarning));
afterEach(() => process.off('warning', onWarning));

/** Descriptors of this process open on anything below the test's folder. */
function openBelow(folder: string): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(folder) ? [target] : [];
    } catch {
      return []; // closed while listing (the listing's own descriptor)
    }
  });
}

/** A full garbage collection, so FileHandles left to it are closed (with Node's warning) now. */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Imports `source`; returns "imported" or the error's message. Aborts at the first progress event of `abortIn`. */
async function attempt(source: string, options: Parameters<typeof importDataset>[1] = {}, abortIn?: string): Promise<string> {
  const controller = new AbortController();
  const onProgress = (p: ImportProgress): void => void (p.phase === abortIn && controller.abort());
  try {
    await importDataset(source, options, { cacheRoot, signal: controller.signal, onProgress });
    return 'imported';
  } catch (error) {
    return (error as Error).message;
  }
}

async function sources() {
  const tile = await encodeImage({ width: 4, height: 4, channels: 3, fill: [10, 20, 30] });
  const jpeg = await encodeImage({ width: 4, height: 4, channels: 3, fill: [10, 20, 30], format: 'jpeg' });
  const files = Array.from({ length: 24 }, (_, i) => ({ name: `set/c${i % 2}/${String(i).padStart(2, '0')}.${i % 3 ? 'png' : 'jpg'}`, data: i % 3 ? tile : jpeg }));
  for (const f of files) await put(join(root, 'folder', f.name), f.data);
  const tar = buildTar(files);
  const tgz = buildTar(files, true);
  const pixels = new Uint8Array(30 * 28 * 28).fill(9);
  const labels = Uint8Array.from({ length: 30 }, (_, i) => i % 3);
  const cifar = cifarBatch([{ label: 1, rgb: [1, 2, 3] }, { label: 2, rgb: [4, 5, 6] }], 'cifar10');
  return {
    folder: join(root, 'folder', 'set'),
    zip: await put(join(root, 'set.zip'), buildZip(files)),
    tar: await put(join(root, 'set.tar'), tar),
    tgz: await put(join(root, 'set.tar.gz'), tgz),
    cutTgz: await put(join(root, 'cut.tar.gz'), tgz.subarray(0, tgz.length >> 1)),
    evilTgz: await put(join(root, 'evil.tar.gz'), buildTar([...files, { name: '../evil.png', data: tile }], true)),
    evilZip: await put(join(root, 'evil.zip'), buildZip([...files, { name: '../evil.png', data: tile }])),
    damagedZip: await put(join(root, 'damaged.zip'), Buffer.concat([buildZip(files).subarray(0, 300), Buffer.alloc(64)])),
    // A stored entry's last byte flipped (its data follows the 30-byte local header and the name).
    crcZip: await put(join(root, 'crc.zip'), buildZip([{ name: 'a.png', data: tile, method: 'store' }]).fill(0, 30 + 5 + tile.length - 1, 30 + 5 + tile.length)),
    cifarZip: await put(join(root, 'cifar.zip'), buildZip([{ name: 'c/data_batch_1.bin', data: cifar }])),
    idxGz: await put(join(root, 'idx', 'x-images-idx3-ubyte.gz'), idxFile([30, 28, 28], pixels, true)),
    idxLabels: await put(join(root, 'idx', 'x-labels-idx1-ubyte.gz'), idxFile([30], labels, true)),
    shortIdx: await put(join(root, 'short', 'y-images-idx3-ubyte.gz'), idxFile([31, 28, 28], pixels, true)),
    npy: await put(join(root, 'a.npy'), npyFile('|u1', [30, 28, 28], pixels)),
    noImages: await put(join(root, 'junk', 'a.png'), 'not a png').then(() => join(root, 'junk')),
  };
}

describe.runIf(process.platform === 'linux')('open files', () => {
  it('are all closed after imports that succeed, stop early, are refused, fail or are aborted', async () => {
    const s = await sources();
    const imported = /^imported$/;
    const aborted = /aborted/;
    const runs: [string, string, Parameters<typeof importDataset>[1], RegExp, string?][] = [
      ['folder', s.folder, {}, imported],
      ['folder, first 3 images', s.folder, { maxImages: 3 }, imported],
      ['folder without images', s.noImages, {}, /No usable images/],
      ['zip', s.zip, {}, imported],
      ['zip, first 3 images', s.zip, { maxImages: 3 }, imported],
      ['zip of CIFAR batches (extracted)', s.cifarZip, {}, imported],
      ['zip with a ../ entry', s.evilZip, {}, /points outside/],
      ['damaged zip', s.damagedZip, {}, /not a readable zip/],
      ['zip with a wrong CRC', s.crcZip, {}, /CRC-32/],
      ['tar', s.tar, {}, imported],
      ['tar.gz', s.tgz, {}, imported],
      ['tar.gz, first 3 images', s.tgz, { maxImages: 3 }, imported],
      ['tar.gz cut short', s.cutTgz, {}, /not a readable tar/],
      ['tar.gz with a ../ entry', s.evilTgz, {}, /points outside/],
      ['gzipped IDX', s.idxGz, {}, imported],
      ['gzipped IDX, first 3 images', s.idxGz, { maxImages: 3 }, imported],
      ['gzipped IDX shorter than its header says', s.shortIdx, {}, /wrong length/],
      ['NPY', s.npy, { maxImages: 3 }, imported],
      ['folder aborted while decoding', s.folder, {}, aborted, 'decode'],
      ['zip aborted while decoding', s.zip, {}, aborted, 'decode'],
      ['tar.gz aborted while extracting', s.tgz, {}, aborted, 'extract'],
      ['tar.gz aborted while decoding', s.tgz, {}, aborted, 'decode'],
      ['gzipped IDX aborted while decoding', s.idxGz, {}, aborted, 'decode'],
    ];
    for (const [name, source, options, expected, abortIn] of runs) {
      // Three times each: a leak grows with the imports.
      for (let i = 0; i < 3; i++) {
        const outcome = await attempt(source, options, abortIn);
        expect(outcome, name).toMatch(expected);
        expect(openBelow(root), `${name} (${outcome})`).toEqual([]);
        // A failed or aborted import leaves nothing in the cache root; a good one is removed to import again.
        if (expected !== imported) expect(await readdir(cacheRoot).catch(() => []), name).toEqual([]);
        await rm(cacheRoot, { recursive: true, force: true });
      }
    }
    await collectGarbage();
    expect(warnings.filter((w) => /file descriptor|FileHandle/i.test(w))).toEqual([]);
  });
});
