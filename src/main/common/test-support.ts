/**
 * Test fixtures for the training tests: a dataset cache folder written
 * directly in the format of src/shared/dataset.ts (manifest.json + images.u8),
 * holding 16×16 gray images of a bright square at a random place — simple
 * enough for the tiny preset to start learning within a few steps.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetManifest } from '../../shared/dataset';
import { Rng } from './rng';

/** Write `count` 16×16×1 images into `dir` as a dataset cache; returns dir. */
export async function writeSquaresDataset(dir: string, count: number, size = 16): Promise<string> {
  await mkdir(dir, { recursive: true });
  const rng = new Rng(42);
  const images = new Uint8Array(count * size * size);
  for (let i = 0; i < count; i += 1) {
    const side = 4 + Math.floor(rng.next() * 6);
    const left = Math.floor(rng.next() * (size - side));
    const top = Math.floor(rng.next() * (size - side));
    for (let y = top; y < top + side; y += 1) images.fill(230, i * size * size + y * size + left, i * size * size + y * size + left + side);
  }
  const manifest: DatasetManifest = {
    version: 1,
    id: 'squares-test',
    name: 'squares',
    source: { path: dir, kind: 'npy', fingerprint: `squares-${count}-${size}` },
    count,
    width: size,
    height: size,
    channels: 1,
    hasLabels: false,
    classNames: [],
    classCounts: [],
    skipped: [],
    options: { fit: 'cover', background: '#000000', size },
    createdAt: new Date().toISOString(),
  };
  await writeFile(join(dir, 'images.u8'), images);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}
