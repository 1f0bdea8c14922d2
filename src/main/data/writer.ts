/**
 * Streams decoded images into the cache files (images.u8 uint8 NHWC and
 * labels.u8), applying the options every source shares: class filter,
 * maxImages, a single size and a single channel count.
 */
import { open, rename, rm, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetManifest, SkippedFile } from '../../shared/dataset';
import { DatasetError } from './errors';
import type { ImportJob, ResolvedImportOptions } from './job';
import { resizeRaw } from './decode';
import { convertChannels } from './pixels';
import { IMAGES_FILE, LABELS_FILE } from './cache-files';


/** Flush to disk in blocks of about this size rather than per image. */
const FLUSH_BYTES = 4 * 1024 * 1024;

export interface WriterSetup {
  /** The source's class names (label i = classNames[i]); null when the source has no labels. */
  classNames: string[] | null;
  /** The source's own channel count when it declares one (arrays); images files leave it open. */
  channels?: 1 | 3;
}

/** What the writer learned about the images: the manifest's content fields. */
export type WriterResult = Pick<
  DatasetManifest,
  'count' | 'width' | 'height' | 'channels' | 'hasLabels' | 'classNames' | 'classCounts' | 'skipped' | 'mixedSizes'
>;

/** Side images of mixed sizes are brought to when no size is set. */
export const DEFAULT_MIXED_SIZE = 64;

/** One decoded image on its way into the cache. */
export interface DecodedImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
  /** True when the source image itself was grayscale (decides the default channel count). */
  sourceGray: boolean;
}

export class DatasetWriter {
  private readonly skippedFiles: SkippedFile[] = [];
  private readonly pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private labels = new Uint8Array(1024);
  private count = 0;
  private width = 0;
  private height = 0;
  private allGray = true;
  /** Set once images turned out to have mixed sizes: how many were resized to one square. */
  private mixed: { resized: number; size: number } | undefined;
  /** Source label → output label, or -1 when the class filter drops it. */
  private readonly labelMap: number[] | null;
  private readonly outClassNames: string[];
  private readonly classCounts: number[];
  /** Channels stored while importing; RGB may collapse to gray in finish(). */
  private readonly storeChannels: 1 | 3;

  private constructor(
    private readonly job: ImportJob,
    private file: FileHandle,
    setup: WriterSetup,
  ) {
    // An empty filter means no filter (a CLI flag given without names).
    const classes = job.options.classes?.length ? job.options.classes : undefined;
    if (setup.classNames === null) {
      if (classes) {
        throw new DatasetError('This dataset has no classes, so it cannot be filtered by class.', {
          cli: 'Leave out --classes, or put the images into one subfolder per class.',
          gui: 'Clear the class filter, or put the images into one subfolder per class.',
        });
      }
      this.labelMap = null;
      this.outClassNames = [];
    } else {
      const names = setup.classNames;
      if (names.length > 256) throw new DatasetError(`Expected at most 256 classes, got ${names.length}.`, 'Use fewer first-level subfolders, or filter the classes you want.');
      const unknown = (classes ?? []).filter((c) => !names.includes(c));
      if (unknown.length) {
        throw new DatasetError(`Unknown class ${unknown.map((c) => `"${c}"`).join(', ')}.`, `Available classes: ${names.join(', ')}.`);
      }
      const kept = classes ? names.filter((n) => classes.includes(n)) : names;
      this.labelMap = names.map((n) => kept.indexOf(n));
      this.outClassNames = kept;
    }
    this.classCounts = this.outClassNames.map(() => 0);
    this.storeChannels = job.options.channels ?? setup.channels ?? 3;
  }

  /** Creates images.u8 in the job's output folder. */
  static async open(job: ImportJob, setup: WriterSetup): Promise<DatasetWriter> {
    const file = await open(join(job.outDir, IMAGES_FILE), 'w');
    try {
      return new DatasetWriter(job, file, setup);
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  /** True once maxImages images are stored. */
  get full(): boolean {
    return this.job.options.maxImages !== undefined && this.count >= this.job.options.maxImages;
  }

  /** Number of images stored so far. */
  get stored(): number {
    return this.count;
  }

  /** Whether an image with this source label should be decoded at all (class filter, maxImages). */
  wants(label?: number): boolean {
    if (this.full) return false;
    if (this.labelMap === null || label === undefined) return true;
    return (this.labelMap[label] ?? -1) >= 0;
  }

  /** Records a file that could not be used, with the reason shown in the report. */
  skip(file: string, reason: string): void {
    this.skippedFiles.push({ file, reason });
  }

  /**
   * Appends one image; `label` is the source label (ignored for unlabelled sources). Without a
   * size option, the first image of another size brings every image to one square (mixedSize).
   */
  async add(decoded: DecodedImage, label?: number): Promise<void> {
    if (!this.wants(label)) return;
    let image = decoded;
    if (this.count === 0) {
      this.width = image.width;
      this.height = image.height;
    } else if (image.width !== this.width || image.height !== this.height) {
      // Photos rarely share one size: bring them all to one square (by `fit`, centre crop by default).
      if (!this.mixed) await this.resizeStored(this.job.options.mixedSize ?? DEFAULT_MIXED_SIZE);
      const size = this.mixed!.size;
      if (image.width !== size || image.height !== size) {
        const resized = await resizeRaw(image.data, image.width, image.height, image.channels, { ...this.job.options, size });
        image = { ...resized, sourceGray: image.sourceGray };
        this.mixed!.resized++;
      }
    }
    if (!image.sourceGray) this.allGray = false;
    this.pending.push(convertChannels(image.data, image.channels, this.storeChannels));
    this.pendingBytes += image.width * image.height * this.storeChannels;
    if (this.labelMap !== null) {
      const out = this.labelMap[label ?? -1];
      if (out === undefined || out < 0) throw new DatasetError(`Label ${label} is outside the ${this.labelMap.length} classes of this dataset.`);
      if (this.count >= this.labels.length) {
        const grown = new Uint8Array(this.labels.length * 2);
        grown.set(this.labels);
        this.labels = grown;
      }
      this.labels[this.count] = out;
      this.classCounts[out]!++;
    }
    this.count++;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  /** Rewrites the images stored so far at size × size; from now on every image is brought to it. */
  private async resizeStored(size: number): Promise<void> {
    await this.flush();
    await this.file.close();
    const path = join(this.job.outDir, IMAGES_FILE);
    const resized = this.width === size && this.height === size ? 0 : this.count;
    // The resized copy is written beside the stored images before replacing them.
    if (resized > 0) this.job.disk.take(this.count * size * size * this.storeChannels);
    if (resized > 0) await resizeImagesFile(path, this.count, { width: this.width, height: this.height, channels: this.storeChannels }, { ...this.job.options, size });
    this.file = await open(path, 'a');
    this.mixed = { resized, size };
    this.width = size;
    this.height = size;
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    this.job.disk.take(this.pendingBytes);
    await this.file.writev(this.pending);
    this.pending.length = 0;
    this.pendingBytes = 0;
  }

  /** Closes the files; fails when nothing usable was stored. */
  async finish(): Promise<WriterResult> {
    await this.flush();
    await this.file.close();
    if (this.count === 0) throw this.emptyError();
    let channels = this.storeChannels;
    // Images files declare no channel count: keep gray when every source image was gray.
    if (channels === 3 && this.allGray && this.job.options.channels === undefined) {
      this.job.disk.take(this.count * this.width * this.height);
      await collapseToGray(join(this.job.outDir, IMAGES_FILE));
      channels = 1;
    }
    const hasLabels = this.labelMap !== null;
    if (hasLabels) await writeFile(join(this.job.outDir, LABELS_FILE), this.labels.subarray(0, this.count));
    return {
      count: this.count,
      width: this.width,
      height: this.height,
      channels,
      hasLabels,
      classNames: this.outClassNames,
      classCounts: this.classCounts,
      skipped: this.skippedFiles,
      ...(this.mixed ? { mixedSizes: this.mixed } : {}),
    };
  }

  /** Closes the image file after a failure (the caller removes the folder). */
  async abandon(): Promise<void> {
    await this.file.close().catch(() => undefined);
  }

  private emptyError(): DatasetError {
    const skipped = this.skippedFiles;
    if (skipped.length === 0) {
      const filter = this.job.options.classes;
      if (filter?.length) return new DatasetError(`No images in the selected classes (${filter.join(', ')}).`, 'Check the class names, or drop the class filter.');
      return new DatasetError('The source holds no images.', 'Point at a folder of PNG/JPEG/WebP images (one subfolder per class), an archive of one, or a CIFAR, IDX or NPY file.');
    }
    const examples = skipped.slice(0, 3).map((s) => `${s.file}: ${s.reason}`).join('; ');
    return new DatasetError(
      `No usable images: all ${skipped.length} file${skipped.length === 1 ? ' was' : 's were'} skipped (${examples}${skipped.length > 3 ? '; …' : ''}).`,
      'Supported images are PNG, JPEG, WebP, GIF, TIFF and AVIF; check that the files are not damaged.',
    );
  }
}

/** Rewrites an RGB images file in place as gray (all three channels are equal). */
async function collapseToGray(path: string): Promise<void> {
  const grayPath = `${path}.gray`;
  await withFiles(path, grayPath, async (input, output) => {
    const block = Buffer.alloc(3 * 1024 * 1024);
    for (;;) {
      const { bytesRead } = await input.read(block, 0, block.length);
      if (bytesRead === 0) break;
      const gray = Buffer.alloc(bytesRead / 3);
      for (let i = 0; i < gray.length; i++) gray[i] = block[i * 3]!;
      await output.write(gray);
    }
  });
  await rm(path);
  await rename(grayPath, path);
}

/** Resizes every image of an images file (count × width × height × channels) to `options.size` squares, in place. */
async function resizeImagesFile(path: string, count: number, shape: { width: number; height: number; channels: 1 | 3 }, options: ResolvedImportOptions & { size: number }): Promise<void> {
  const { width, height, channels } = shape;
  const imageBytes = width * height * channels;
  const resizedPath = `${path}.resized`;
  await withFiles(path, resizedPath, async (input, output) => {
    const image = Buffer.alloc(imageBytes);
    for (let i = 0; i < count; i++) {
      await input.read(image, 0, imageBytes, i * imageBytes);
      const resized = await resizeRaw(new Uint8Array(image), width, height, channels, options);
      await output.write(convertChannels(resized.data, 3, channels));
    }
  });
  await rename(resizedPath, path);
}

/** Runs `use` with `inputPath` open for reading and `outputPath` for writing; both are closed however it ends. */
async function withFiles(inputPath: string, outputPath: string, use: (input: FileHandle, output: FileHandle) => Promise<void>): Promise<void> {
  const input = await open(inputPath, 'r');
  try {
    const output = await open(outputPath, 'w');
    try {
      await use(input, output);
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
}
