import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError, importDataset, loadDataset } from './index';
import { buildTar, cifarBatch, idxFile, importError, npyFile, put, useTempCache } from './test-support';

let root: string;
let cacheRoot: string;
useTempCache((folders) => ({ root, cacheRoot } = folders));

describe('CIFAR', () => {
  it('imports a CIFAR-10 folder: batches in order, planar → interleaved, class names from batches.meta.txt', async () => {
    const src = join(root, 'cifar-10-batches-bin');
    await put(join(src, 'data_batch_2.bin'), cifarBatch([{ label: 9, rgb: [7, 8, 9] }], 'cifar10'));
    await put(join(src, 'data_batch_1.bin'), cifarBatch([{ label: 3, rgb: [1, 2, 3] }, { label: 0, rgb: [4, 5, 6] }], 'cifar10'));
    await put(join(src, 'test_batch.bin'), cifarBatch([{ label: 3, rgb: [0, 0, 0] }], 'cifar10'));
    await put(join(src, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n');
    const { dir, manifest } = await importDataset(src, {}, { cacheRoot });
    expect(manifest).toMatchObject({ count: 4, width: 32, height: 32, channels: 3, hasLabels: true });
    expect(manifest.source.kind).toBe('cifar10');
    expect(manifest.classNames[3]).toBe('cat');
    expect(manifest.classCounts).toEqual([1, 0, 0, 2, 0, 0, 0, 0, 0, 1]);
    const { images, labels } = await loadDataset(dir);
    expect([...labels!]).toEqual([3, 0, 9, 3]);
    expect([...images.subarray(0, 6)]).toEqual([1, 2, 3, 1, 2, 3]);
    expect([...images.subarray(2 * 3072, 2 * 3072 + 3)]).toEqual([7, 8, 9]);
  });

  it('imports CIFAR-100 fine labels from the distributed .tar.gz layout, resized and filtered', async () => {
    const fine = Array.from({ length: 100 }, (_, i) => `class${i}`).join('\n');
    const tgz = buildTar(
      [
        { name: 'cifar-100-binary/', type: '5' },
        { name: 'cifar-100-binary/train.bin', data: cifarBatch([{ label: 42, coarse: 5, rgb: [200, 100, 0] }, { label: 7, coarse: 1, rgb: [0, 0, 0] }], 'cifar100') },
        { name: 'cifar-100-binary/test.bin', data: cifarBatch([{ label: 42, coarse: 5, rgb: [200, 100, 0] }], 'cifar100') },
        { name: 'cifar-100-binary/fine_label_names.txt', data: Buffer.from(fine) },
        { name: 'cifar-100-binary/coarse_label_names.txt', data: Buffer.from('x') },
      ],
      true,
    );
    const path = await put(join(root, 'cifar-100-binary.tar.gz'), tgz);
    const { dir, manifest } = await importDataset(path, { size: 16, classes: ['class42'] }, { cacheRoot });
    expect(manifest).toMatchObject({ count: 2, width: 16, height: 16, channels: 3, classNames: ['class42'], classCounts: [2] });
    expect(manifest.source.kind).toBe('cifar100');
    expect([...(await loadDataset(dir)).images.subarray(0, 3)]).toEqual([200, 100, 0]);
  });

  it('refuses a batch of the wrong length and an out-of-range label', async () => {
    const src = join(root, 'cifar');
    await put(join(src, 'data_batch_1.bin'), Buffer.concat([cifarBatch([{ label: 1, rgb: [0, 0, 0] }], 'cifar10'), Buffer.alloc(10)]));
    const length = await importError(cacheRoot, src);
    expect(length.message).toMatch(/data_batch_1\.bin is not a CIFAR-10 batch: expected a non-zero multiple of 3073 bytes .* got 3083 bytes/);
    await put(join(src, 'data_batch_1.bin'), cifarBatch([{ label: 12, rgb: [0, 0, 0] }], 'cifar10'));
    expect((await importError(cacheRoot, src)).message).toMatch(/record 0 has label 12, expected 0–9/);
  });
});

describe('IDX', () => {
  const pixels = (n: number, side: number): Uint8Array => Uint8Array.from({ length: n * side * side }, (_, i) => Math.floor(i / (side * side)) * 10);

  it('imports gzipped images with the labels file next to them, classes "0".."k"', async () => {
    const images = await put(join(root, 'mnist', 'train-images-idx3-ubyte.gz'), idxFile([3, 4, 4], pixels(3, 4), true));
    await put(join(root, 'mnist', 'train-labels-idx1-ubyte.gz'), idxFile([3], Uint8Array.from([2, 0, 2]), true));
    const { dir, manifest } = await importDataset(images, {}, { cacheRoot });
    expect(manifest).toMatchObject({ name: 'train-images', count: 3, width: 4, height: 4, channels: 1, classNames: ['0', '1', '2'], classCounts: [1, 0, 2] });
    expect(manifest.source.kind).toBe('idx');
    const loaded = await loadDataset(dir);
    expect(loaded.images[16]).toBe(10);
    expect([...loaded.labels!]).toEqual([2, 0, 2]);
  });

  it('imports raw IDX without labels, converted to RGB, and a folder with classes.json', async () => {
    const images = await put(join(root, 'raw', 'x-images.idx3-ubyte'), idxFile([2, 4, 4], pixels(2, 4)));
    const rgb = await importDataset(images, { channels: 3, size: 8 }, { cacheRoot });
    expect(rgb.manifest).toMatchObject({ count: 2, width: 8, channels: 3, hasLabels: false });
    expect([...(await loadDataset(rgb.dir)).images.subarray(8 * 8 * 3, 8 * 8 * 3 + 3)]).toEqual([10, 10, 10]);

    await put(join(root, 'raw', 'x-labels.idx1-ubyte'), idxFile([2], Uint8Array.from([1, 0])));
    await put(join(root, 'raw', 'classes.json'), JSON.stringify({ name: 'Tiny', classes: ['zero', 'one'] }));
    const named = await importDataset(join(root, 'raw'), {}, { cacheRoot });
    expect(named.manifest).toMatchObject({ name: 'Tiny', classNames: ['zero', 'one'], classCounts: [1, 1] });
  });

  it('recognises Fashion-MNIST by its path and names its classes', async () => {
    const dir = join(root, 'Fashion_MNIST');
    await put(join(dir, 't10k-images-idx3-ubyte'), idxFile([2, 4, 4], pixels(2, 4)));
    await put(join(dir, 't10k-labels-idx1-ubyte'), idxFile([2], Uint8Array.from([9, 0])));
    const { manifest } = await importDataset(dir, {}, { cacheRoot });
    expect(manifest.classNames).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    expect(manifest.classCounts).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('refuses wrong magic numbers, wrong lengths and mismatched labels', async () => {
    const images = await put(join(root, 'bad', 'a-images-idx3-ubyte'), Buffer.from('hello world, not idx'));
    expect((await importError(cacheRoot, images)).message).toMatch(/not an IDX images file: expected magic number 0x00000803 or 0x00000804, got 0x68656c6c/);
    await put(images, idxFile([3, 4, 4], pixels(2, 4)));
    expect((await importError(cacheRoot, images)).message).toMatch(/wrong length: its header promises 3 images .* data ends after 2/);
    await put(images, idxFile([2, 4, 4], pixels(3, 4)));
    expect((await importError(cacheRoot, images)).message).toMatch(/wrong length: .* more bytes follow/);
    await put(images, idxFile([4_000_000, 0, 28], new Uint8Array()));
    expect((await importError(cacheRoot, images)).message).toMatch(/declares images of 28×0 pixels/);
    await put(images, idxFile([2, 4, 4], pixels(2, 4), true));
    await put(join(root, 'bad', 'a-labels-idx1-ubyte'), idxFile([3], Uint8Array.from([0, 1, 2])));
    expect((await importError(cacheRoot, images)).message).toMatch(/holds 2 images but its labels file holds 3 labels/);
    expect((await importError(cacheRoot, join(root, 'bad', 'a-labels-idx1-ubyte'))).message).toMatch(/is an IDX labels file/);
  });

  it('refuses a (gzipped) header that promises more than the size limit before reading pixels', async () => {
    const images = await put(join(root, 'bomb', 'b-images-idx3-ubyte.gz'), idxFile([1_000_000, 28, 28], pixels(1, 28), true));
    const error = await importDataset(images, {}, { cacheRoot, limits: { maxTotalBytes: 1024 * 1024 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toMatch(/claims 1,000,000 images of 28×28×1 \(748 MB\), over the 1\.0 MB limit/);
  });
});

describe('NPY', () => {
  it('imports uint8 NHWC and NHW arrays', async () => {
    const data = Uint8Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => i);
    const rgb = await importDataset(await put(join(root, 'rgb.npy'), npyFile('|u1', [2, 2, 2, 3], data)), {}, { cacheRoot });
    expect(rgb.manifest).toMatchObject({ name: 'rgb', count: 2, width: 2, height: 2, channels: 3, hasLabels: false });
    expect(rgb.manifest.source.kind).toBe('npy');
    expect([...(await loadDataset(rgb.dir)).images]).toEqual([...data]);
    const nhw = await importDataset(await put(join(root, 'gray.npy'), npyFile('|u1', [3, 2, 4], new Uint8Array(24).fill(9))), {}, { cacheRoot });
    expect(nhw.manifest).toMatchObject({ count: 3, width: 4, height: 2, channels: 1 });
  });

  it.each([
    ['[0, 1]', [0, 0.5, 1], [0, 128, 255]],
    ['[-1, 1]', [-1, 0, 1], [0, 128, 255]],
    ['[0, 255]', [0, 100.4, 255], [0, 100, 255]],
  ])('maps float32 in %s to bytes', async (_range, values, bytes) => {
    const path = await put(join(root, 'f.npy'), npyFile('<f4', [1, 1, 3], Float32Array.from(values)));
    expect([...(await loadDataset((await importDataset(path, {}, { cacheRoot })).dir)).images]).toEqual(bytes);
  });

  it('reads big-endian float32', async () => {
    const path = await put(join(root, 'be.npy'), npyFile('>f4', [1, 1, 2], Float32Array.from([0, 1])));
    expect([...(await loadDataset((await importDataset(path, {}, { cacheRoot })).dir)).images]).toEqual([0, 255]);
  });

  it('refuses bad magic, dtypes, shapes, lengths and value ranges', async () => {
    const path = join(root, 'bad.npy');
    await put(path, 'not numpy at all');
    expect((await importError(cacheRoot, path)).message).toMatch(/expected the magic string/);
    await put(path, npyFile('|u1', [1, 2, 2], new Uint8Array(3)));
    expect((await importError(cacheRoot, path)).message).toMatch(/wrong length: shape \(1, 2, 2\) of uint8 needs \d+ bytes/);
    await put(path, npyFile('|u1', [1, 2, 2, 5], new Uint8Array(20)));
    expect((await importError(cacheRoot, path)).message).toMatch(/expected shape \(N, H, W\) or \(N, H, W, C\) with C = 1 or 3, got \(1, 2, 2, 5\)/);
    await put(path, npyFile('<f4', [1, 1, 2], Float32Array.from([-5, 300])));
    expect((await importError(cacheRoot, path)).message).toMatch(/float values from -5 to 300/);
    await put(path, npyFile('<f4', [1, 1, 2], Float32Array.from([0, Number.NaN])));
    expect((await importError(cacheRoot, path)).message).toMatch(/NaN or infinite/);
    const f8 = npyFile('|u1', [1, 1, 1], new Uint8Array(8));
    await put(path, Buffer.from(f8.toString('latin1').replace("'|u1'", "'<f8'"), 'latin1'));
    expect((await importError(cacheRoot, path)).message).toMatch(/expected dtype uint8 or float32, got '<f8'/);
  });
});
