/**
 * Datasets as the UI sees them: the cached datasets under the datasets
 * root, each with a preview grid PNG (first images, written once next to
 * the cache and served by URL). Importing reports progress as events.
 */
import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import type { DatasetInfo, Progress } from '../../shared/api';
import type { DatasetManifest, ImportOptions } from '../../shared/dataset';
import { builtinDatasetSource, importDataset } from '../data';
import { cannotRead, isPermissionDenied } from '../runs';
import { NotFoundError, StudioError } from './errors';

/** File name of the preview grid inside a dataset's cache folder. */
export const PREVIEW_FILE = 'preview.png';
const PREVIEW_COLS = 8;
const PREVIEW_ROWS = 4;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface DatasetStoreOptions {
  datasetsRoot: string;
  urlForDatasetPreview(datasetId: string): string;
  progress(progress: Progress): void;
}

/** The datasets root: list, import, delete, preview, and recognise earlier sources. */
export class DatasetStore {
  constructor(private readonly options: DatasetStoreOptions) {}

  /** The cache folder of `datasetId`; refuses ids that could leave the datasets root. */
  dirOf(datasetId: string): string {
    if (!ID_PATTERN.test(datasetId)) throw new NotFoundError(`No dataset with id ${JSON.stringify(datasetId)}.`);
    return join(this.options.datasetsRoot, datasetId);
  }

  /** The manifest of a cached dataset; NotFoundError when it is not there, a StudioError naming the cause when it cannot be read. */
  async manifest(datasetId: string): Promise<DatasetManifest> {
    const file = join(this.dirOf(datasetId), 'manifest.json');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      // A cache this user may not read is not missing: "not found" would invite importing (and replacing) it.
      if (isPermissionDenied(error)) throw new StudioError(`Dataset ${datasetId} cannot be read: ${cannotRead(file, error)}.`, 'Give this user read access to the dataset folder, or run the studio as the user that imported it.');
      throw new NotFoundError(`Dataset ${datasetId} was not found.`, 'Import it again from the Datasets view.');
    }
    try {
      return JSON.parse(text) as DatasetManifest;
    } catch {
      throw new NotFoundError(`Dataset ${datasetId} is damaged: ${file} is not valid JSON.`, 'Import it again from the Datasets view.');
    }
  }

  /** Every cached dataset, newest first. */
  async list(): Promise<DatasetInfo[]> {
    let names: string[];
    try {
      names = (await readdir(this.options.datasetsRoot, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    } catch {
      return [];
    }
    const infos: DatasetInfo[] = [];
    for (const name of names) {
      if (!ID_PATTERN.test(name)) continue;
      try {
        infos.push(await this.info(await this.manifest(name)));
      } catch {
        // Half-written or foreign folders (an import in progress) are not datasets yet.
      }
    }
    return infos.sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
  }

  /** Import a file or folder (re-importing an unchanged source is instant: the cache answers). */
  async import(source: string, options: ImportOptions = {}): Promise<DatasetInfo> {
    const operation = `Importing ${source}`;
    this.options.progress({ operation, done: 0 });
    const result = await importDataset(source, options, {
      cacheRoot: this.options.datasetsRoot,
      onProgress: (p) => this.options.progress({ operation, done: p.done, message: p.phase, ...(p.total !== undefined ? { total: p.total } : {}) }),
    });
    this.options.progress({ operation, done: result.manifest.count, total: result.manifest.count, message: 'done' });
    return this.info(result.manifest);
  }

  /** Import the bundled Fashion-MNIST sample. */
  importBuiltin(): Promise<DatasetInfo> {
    return this.import(builtinDatasetSource());
  }

  async delete(datasetId: string): Promise<void> {
    await this.manifest(datasetId);
    await rm(this.dirOf(datasetId), { recursive: true, force: true });
  }

  /** True when `path` is the source of a cached dataset (the user chose it in an earlier session). */
  async isSource(path: string): Promise<boolean> {
    const target = resolve(path);
    let names: string[];
    try {
      names = await readdir(this.options.datasetsRoot);
    } catch {
      return false;
    }
    for (const name of names) {
      if (!ID_PATTERN.test(name)) continue;
      try {
        if ((await this.manifest(name)).source.path === target) return true;
      } catch {
        // Not a dataset folder.
      }
    }
    return false;
  }

  private async info(manifest: DatasetManifest): Promise<DatasetInfo> {
    await this.ensurePreview(manifest);
    return { manifest, previewUrl: this.options.urlForDatasetPreview(manifest.id) };
  }

  /** Write preview.png from the first images of images.u8 (read directly: no need to load the whole cache). */
  private async ensurePreview(manifest: DatasetManifest): Promise<void> {
    const dir = this.dirOf(manifest.id);
    const file = join(dir, PREVIEW_FILE);
    if (await exists(file)) return;
    const { width, height, channels } = manifest;
    const count = Math.min(manifest.count, PREVIEW_COLS * PREVIEW_ROWS);
    if (count === 0) return;
    const imageBytes = width * height * channels;
    const pixels = new Uint8Array(imageBytes * count);
    const handle = await open(join(dir, 'images.u8'), 'r');
    try {
      await handle.read(pixels, 0, pixels.length, 0);
    } finally {
      await handle.close();
    }
    const cols = Math.min(count, PREVIEW_COLS);
    const rows = Math.ceil(count / cols);
    const grid = Buffer.alloc(cols * width * rows * height * channels);
    const rowBytes = width * channels;
    for (let i = 0; i < count; i++) {
      const x0 = (i % cols) * width;
      const y0 = Math.floor(i / cols) * height;
      for (let y = 0; y < height; y++) {
        const from = i * imageBytes + y * rowBytes;
        grid.set(pixels.subarray(from, from + rowBytes), ((y0 + y) * cols * width + x0) * channels);
      }
    }
    // Temp + rename: a reader never sees half a PNG.
    const temp = `${file}.${process.pid}.tmp`;
    await sharp(grid, { raw: { width: cols * width, height: rows * height, channels } }).png().toFile(temp);
    await rename(temp, file);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
