/**
 * Reads a cached dataset by offset: its images are fixed-size records in
 * images.u8, so any image is one read at index × imageBytes and memory does
 * not grow with the dataset. Training reads its shuffled batches this way
 * (training/batch-source.ts), the scores their samples. The labels are kept
 * in memory: one byte per image, checked once when the dataset is opened.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetManifest } from '../../shared/dataset';
import { readCheckedManifest, unreadable } from './cache';
import { IMAGES_FILE, LABELS_FILE } from './cache-files';
import { DatasetError } from './errors';
import { openRecordFile } from './record-file';

/** An open dataset cache folder. */
export interface DatasetReader {
  /** The cache folder. */
  dir: string;
  manifest: DatasetManifest;
  /** One class index per image, when the manifest says hasLabels. */
  labels?: Uint8Array;
  /** Bytes of one image: height × width × channels. */
  imageBytes: number;
  /** The images at `indices`, packed uint8 NHWC in the order asked. */
  read(indices: ArrayLike<number>): Promise<Uint8Array>;
  /** Closes images.u8 (after reads in flight have settled). */
  close(): Promise<void>;
}

/** Opens the cache folder `dir` written by importDataset, after checking its files against the manifest. */
export async function openDataset(dir: string): Promise<DatasetReader> {
  const manifest = await readCheckedManifest(dir);
  const labels = manifest.hasLabels ? await readLabels(dir, manifest) : undefined;
  const imageBytes = manifest.height * manifest.width * manifest.channels;
  const imagesFile = join(dir, IMAGES_FILE);
  const file = await openRecordFile(imagesFile).catch((error: unknown) => {
    throw unreadable(imagesFile, error);
  });
  return {
    dir,
    manifest,
    ...(labels ? { labels } : {}),
    imageBytes,
    async read(indices) {
      const offsets = Array.from(indices, (index) => {
        if (!Number.isInteger(index) || index < 0 || index >= manifest.count) throw new RangeError(`expected image indices in 0…${manifest.count - 1}, got ${index}`);
        return index * imageBytes;
      });
      try {
        return await file.read(offsets, imageBytes);
      } catch (error) {
        throw new DatasetError(
          `The cached dataset in ${dir} changed while it was read: ${IMAGES_FILE}: ${error instanceof Error ? error.message : String(error)}.`,
          'Import the dataset again (a cache folder must not be changed or deleted while a run trains on it).',
        );
      }
    },
    close: () => file.close(),
  };
}

async function readLabels(dir: string, manifest: DatasetManifest): Promise<Uint8Array> {
  const file = join(dir, LABELS_FILE);
  const labels = new Uint8Array(
    await readFile(file).catch((error: unknown) => {
      throw unreadable(file, error);
    }),
  );
  const bad = labels.findIndex((label) => label >= manifest.classNames.length);
  if (bad >= 0) {
    throw new DatasetError(`The cached dataset in ${dir} is damaged: image ${bad} has label ${labels[bad]} but there are ${manifest.classNames.length} classes.`, 'Import the dataset again.');
  }
  return labels;
}
