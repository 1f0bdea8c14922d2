import { existsSync, readdirSync } from 'node:fs';
import { readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { create as createTar } from 'tar';
import { describe, expect, it } from 'vitest';
import { DatasetError, importDataset, loadDataset } from './index';
import type { ImportProgress } from './index';
import { buildTar, buildZip, encodeImage, put, useTempCache } from './test-support';

let root: string;
let cacheRoot: string;
useTempCache((folders) => ({ root, cacheRoot } = folders));

const png = (fill: number[]): Promise<Buffer> => encodeImage({ width: 8, height: 8, channels: 3, fill });

async function refused(source: string, limits = {}): Promise<DatasetError> {
  const before = (await readdir(root)).sort();
  const error = await importDataset(source, {}, { cacheRoot, limits }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DatasetError);
  // Nothing is left in the cache root (no dataset, scratch or temporary folder), nothing lands beside the archive.
  expect(await readdir(cacheRoot)).toEqual([]);
  expect((await readdir(root)).sort()).toEqual([...new Set([...before, 'cache'])].sort());
  expect(existsSync('/tmp/evil.png')).toBe(false);
  return error as DatasetError;
}

describe('zip archives', () => {
  it('imports a zip of a class folder, looking inside its lone top folder', async () => {
    const zip = buildZip([
      { name: 'animals/', method: 'store' },
      { name: 'animals/cats/1.png', data: await png([255, 0, 0]) },
      { name: 'animals/dogs/2.png', data: await png([0, 255, 0]), method: 'store' },
      { name: 'animals/readme.txt', data: Buffer.from('hi') },
      { name: '__MACOSX/animals/._1.png', data: Buffer.from('junk') },
    ]);
    const path = await put(join(root, 'animals.zip'), zip);
    const progress: ImportProgress[] = [];
    const { dir, manifest } = await importDataset(path, {}, { cacheRoot, onProgress: (p) => progress.push(p) });
    // Image archives are read in place: no extract phase, the images decode straight from the zip.
    expect(progress).toContainEqual({ phase: 'decode', done: 2, total: 2 });
    expect(manifest).toMatchObject({ name: 'animals', count: 2, classNames: ['cats', 'dogs'], skipped: [{ file: 'readme.txt' }] });
    expect(manifest.source.kind).toBe('zip');
    expect([...(await loadDataset(dir)).images.subarray(192, 195)]).toEqual([0, 255, 0]);
    expect((await readdir(cacheRoot)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('refuses ../ entries, absolute paths and symlinks', async () => {
    const image = await png([1, 2, 3]);
    const dotdot = await put(join(root, 'evil.zip'), buildZip([{ name: 'a/ok.png', data: image }, { name: 'a/../../evil.png', data: image }]));
    expect((await refused(dotdot)).message).toMatch(/entry "a\/\.\.\/\.\.\/evil\.png" points outside/);
    await put(dotdot, buildZip([{ name: '/tmp/evil.png', data: image }]));
    expect((await refused(dotdot)).message).toMatch(/"\/tmp\/evil\.png" points outside/);
    await put(dotdot, buildZip([{ name: 'link.png', data: Buffer.from('/etc/passwd'), mode: 0o120777, method: 'store' }]));
    expect((await refused(dotdot)).message).toMatch(/"link\.png" is a link/);
  });

  it('refuses entries that claim or inflate to more than the caps', async () => {
    const zeros = Buffer.alloc(2 * 1024 * 1024);
    const path = await put(join(root, 'evil.zip'), buildZip([{ name: 'bomb.png', data: zeros }]));
    const claimed = await refused(path, { maxEntryBytes: 1024 * 1024 });
    expect(claimed.message).toMatch(/"bomb\.png" would decompress to 2\.0 MB, over the 1\.0 MB per-entry limit/);
    // Headers that lie (claim 100 bytes) are caught while inflating (zeros after a PNG signature, so the entry is read on).
    const signed = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), zeros]);
    await put(path, buildZip([{ name: 'bomb.png', data: signed, claimedSize: 100 }]));
    expect((await refused(path, { maxEntryBytes: 1024 * 1024 })).message).toMatch(/Refusing evil\.zip: an entry's data does not match its declared size/);
    await put(path, buildZip([{ name: 'a.png', data: zeros }, { name: 'b.png', data: zeros }]));
    expect((await refused(path, { maxTotalBytes: 3 * 1024 * 1024 })).message).toMatch(/total limit/);
  });

  it('decodes image zips in place: no entry is written out (writing 100k small files dominated the import)', async () => {
    const image = await png([4, 5, 6]);
    const zip = buildZip(Array.from({ length: 200 }, (_, i) => ({ name: `set/c${i % 2}/${i}.png`, data: image })));
    const path = await put(join(root, 'many.zip'), zip);
    const written: string[] = [];
    const { manifest } = await importDataset(path, {}, {
      cacheRoot,
      onProgress: (p) => {
        if (p.phase !== 'decode') return;
        for (const scratch of readdirSync(cacheRoot).filter((n) => n.startsWith('.extract-'))) written.push(...readdirSync(join(cacheRoot, scratch), { recursive: true }).map(String));
      },
    });
    expect(manifest).toMatchObject({ count: 200, classNames: ['c0', 'c1'], classCounts: [100, 100] });
    expect(written).toEqual([]);
  });

  it('refuses an entry whose data fails its CRC-32 check', async () => {
    const image = await png([1, 2, 3]);
    const zip = buildZip([{ name: 'a.png', data: image, method: 'store' }]);
    // Stored entry: its data starts after the 30-byte local header and the name; flip its last byte.
    const last = 30 + 'a.png'.length + image.length - 1;
    zip[last] = zip[last]! ^ 0xff;
    expect((await refused(await put(join(root, 'evil.zip'), zip))).message).toMatch(/Refusing evil\.zip: entry "a\.png" fails its CRC-32 check/);
  });

  it('explains a file that is not a zip, and an empty zip', async () => {
    const path = await put(join(root, 'evil.zip'), 'PK? not really');
    expect((await refused(path)).message).toMatch(/evil\.zip is not a readable zip archive/);
    await put(path, buildZip([{ name: 'empty/', method: 'store' }]));
    expect((await refused(path)).message).toBe('The archive is empty.');
  });
});

describe('tar archives', () => {
  it('imports .tar, .tar.gz and .tgz made by the tar package', async () => {
    const src = join(root, 'shapes');
    await put(join(src, 'circles', 'a.png'), await png([10, 20, 30]));
    await put(join(src, 'squares', 'b.png'), await png([40, 50, 60]));
    for (const [file, gzip] of [['shapes.tar', false], ['shapes.tar.gz', true], ['shapes.tgz', true]] as const) {
      const path = join(root, file);
      await createTar({ file: path, cwd: root, gzip }, ['shapes']);
      const { dir, manifest } = await importDataset(path, {}, { cacheRoot });
      expect(manifest).toMatchObject({ name: 'shapes', count: 2, classNames: ['circles', 'squares'] });
      expect(manifest.source.kind).toBe('tar');
      expect([...(await loadDataset(dir)).images.subarray(0, 3)]).toEqual([10, 20, 30]);
    }
  });

  it('decodes small tar.gz images from memory (writing each out and reading it back was most of the import), the last copy of a name winning', async () => {
    const [red, green] = [await png([255, 0, 0]), await png([0, 255, 0])];
    const entries = Array.from({ length: 200 }, (_, i) => ({ name: `set/c${i % 2}/${String(i).padStart(3, '0')}.png`, data: red }));
    // A name packed twice: tar extraction keeps the later copy, and so does the import.
    entries.push({ name: 'set/c0/000.png', data: green }, { name: 'set/c1/junk.png', data: Buffer.from('not an image at all') });
    const path = await put(join(root, 'many.tar.gz'), buildTar(entries, true));
    const written: string[] = [];
    const { dir, manifest } = await importDataset(path, {}, {
      cacheRoot,
      onProgress: (p) => {
        if (p.phase !== 'decode') return;
        for (const scratch of readdirSync(cacheRoot).filter((n) => n.startsWith('.extract-'))) written.push(...readdirSync(join(cacheRoot, scratch), { recursive: true }).map(String));
      },
    });
    expect(manifest).toMatchObject({ count: 200, classNames: ['c0', 'c1'], classCounts: [100, 100], skipped: [{ file: 'c1/junk.png', reason: expect.stringMatching(/not an image/) }] });
    // Only the name packed twice went through the scratch folder.
    expect([...new Set(written.filter((name) => name.endsWith('.png')))]).toEqual(['set/c0/000.png']);
    const { images } = await loadDataset(dir);
    // 8×8 RGB images: the first (c0/000.png, packed twice) is the green copy, the next red.
    expect([...images.subarray(0, 3)]).toEqual([0, 255, 0]);
    expect([...images.subarray(192, 195)]).toEqual([255, 0, 0]);
  });

  it('refuses symlink and hard-link entries, including real symlinks packed by tar', async () => {
    const image = await png([1, 2, 3]);
    const path = await put(join(root, 'evil.tar'), buildTar([{ name: 'x/a.png', data: image }, { name: 'x/b.png', type: '2', linkTarget: '/etc/passwd' }]));
    expect((await refused(path)).message).toMatch(/"x\/b\.png" is a link/);
    await put(path, buildTar([{ name: 'x/a.png', data: image }, { name: 'x/c.png', type: '1', linkTarget: 'x/a.png' }]));
    expect((await refused(path)).message).toMatch(/"x\/c\.png" is a link/);

    const src = join(root, 'linked');
    await put(join(src, 'a.png'), image);
    await symlink('/etc/hostname', join(src, 'b.png'));
    const gz = join(root, 'evil.tar.gz');
    await createTar({ file: gz, cwd: root, gzip: true }, ['linked']);
    expect((await refused(gz)).message).toMatch(/"linked\/b\.png" is a link/);
  });

  it('refuses ../ and absolute entries', async () => {
    const image = await png([1, 2, 3]);
    const path = await put(join(root, 'evil.tar.gz'), buildTar([{ name: '../evil.png', data: image }], true));
    expect((await refused(path)).message).toMatch(/"\.\.\/evil\.png" points outside/);
    await put(path, buildTar([{ name: '/tmp/evil.png', data: image }], true));
    expect((await refused(path)).message).toMatch(/"\/tmp\/evil\.png" points outside/);
  });

  it('refuses entries that claim more than the per-entry cap, and archives over the total', async () => {
    const zeros = Buffer.alloc(2 * 1024 * 1024);
    const path = await put(join(root, 'evil.tar.gz'), buildTar([{ name: 'bomb.png', data: zeros }], true));
    expect((await refused(path, { maxEntryBytes: 1024 * 1024 })).message).toMatch(/"bomb\.png" would decompress to 2\.0 MB/);
    await put(path, buildTar([{ name: 'a.png', data: zeros }, { name: 'b.png', data: zeros }], true));
    expect((await refused(path, { maxTotalBytes: 3 * 1024 * 1024 })).message).toMatch(/total limit/);
  });

  it('stops a compressed stream that keeps inflating after the last entry', async () => {
    const tar = buildTar([{ name: 'a.png', data: await png([1, 2, 3]) }]);
    const path = await put(join(root, 'evil.tar.gz'), gzipSync(Buffer.concat([tar, Buffer.alloc(4 * 1024 * 1024)])));
    expect((await refused(path, { maxTotalBytes: 1024 * 1024 })).message).toMatch(/decompresses to more than 3\.0 MB/);
  });

  it('explains a .tar.gz cut off in the middle of an entry (it used to hang the import)', async () => {
    // Random bytes do not compress, so cutting the gzip at half lands inside the entry's data.
    const noise = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 2654435761) >>> 24));
    const whole = buildTar([{ name: 'x/a.png', data: await png([1, 2, 3]) }, { name: 'x/noise.bin', data: noise }], true);
    const path = await put(join(root, 'cut.tar.gz'), whole.subarray(0, whole.length / 2));
    expect((await refused(path)).message).toMatch(/cut\.tar\.gz is not a readable tar archive \(unexpected end of file\)/);
  }, 10_000);

  it('explains a damaged tar', async () => {
    const path = await put(join(root, 'evil.tar'), Buffer.alloc(700, 7));
    expect((await refused(path)).message).toMatch(/evil\.tar is not a readable tar archive/);
  });
});
