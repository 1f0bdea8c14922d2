/**
 * Reads a cached dataset into memory for training, after checking that the
 * files have the lengths the manifest promises.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetManifest } from '../../shared/dataset';
import { readCheckedManifest, unreadable } from './cache';
import { DatasetError } from './errors';
import { IMAGES_FILE, LABELS_FILE } from './cache-files';

export interface LoadedDataset {
  manifest: DatasetManifest;
  /** uint8 NHWC: count × height × width × channels. */
  images: Uint8Array;
  /** One class index per image, when the manifest says hasLabels. */
  labels?: Uint8Array;
}

/** Loads the cache folder `dir` written by importDataset. */
export async function loadDataset(dir: string): Promise<LoadedDataset> {
  const manifest = await readCheckedManifest(dir);
  const images = await readCacheFile(join(dir, IMAGES_FILE));
  if (!manifest.hasLabels) return { manifest, images };
  const labels = await readCacheFile(join(dir, LABELS_FILE));
  const bad = labels.findIndex((l) => l >= manifest.classNames.length);
  if (bad >= 0) {
    throw new DatasetError(`The cached dataset in ${dir} is damaged: image ${bad} has label ${labels[bad]} but there are ${manifest.classNames.length} classes.`, 'Import the dataset again.');
  }
  return { manifest, images, labels };
}

/** A data file's bytes; a read that fails (permission) says so with the path. */
async function readCacheFile(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    throw unreadable(file, error);
  }
}
