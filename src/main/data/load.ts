/**
 * Reads a small cached dataset into memory whole: a folder of generated
 * images to score, tests. Training and the scores' samples read by offset
 * instead (reader.ts), so their memory does not grow with the dataset.
 */
import type { DatasetManifest } from '../../shared/dataset';
import { openDataset } from './reader';

export interface LoadedDataset {
  manifest: DatasetManifest;
  /** uint8 NHWC: count × height × width × channels. */
  images: Uint8Array;
  /** One class index per image, when the manifest says hasLabels. */
  labels?: Uint8Array;
}

/** Loads the cache folder `dir` written by importDataset. */
export async function loadDataset(dir: string): Promise<LoadedDataset> {
  const reader = await openDataset(dir);
  try {
    const images = await reader.read(Array.from({ length: reader.manifest.count }, (_, i) => i));
    return { manifest: reader.manifest, images, ...(reader.labels ? { labels: reader.labels } : {}) };
  } finally {
    await reader.close();
  }
}
