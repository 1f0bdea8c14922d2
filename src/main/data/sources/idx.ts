/**
 * MNIST-style IDX files (http://yann.lecun.com/exdb/mnist/), raw or gzipped.
 * Images: magic 00 00 08 03 with dims (N, H, W), or 00 00 08 04 with
 * (N, H, W, C) and C = 1 or 3; unsigned bytes. Labels: 00 00 08 01 with (N).
 * The labels file is found next to the images by name (…images…idx3… →
 * …labels…idx1…, with or without .gz). A `classes.json` beside them,
 * `{ "name"?: string, "classes": string[] }`, names the labels (the built-in
 * Fashion-MNIST sample ships one). Without it, files whose path says
 * Fashion-MNIST (fashion-mnist, fashion_mnist, FashionMNIST) get the
 * Fashion-MNIST class names; any other IDX gets classes "0", "1", ….
 */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { shapeRaw } from '../decode';
import { DatasetError, formatBytes } from '../errors';
import type { ImportJob, ImportOutcome } from '../job';
import { DEFLATE_MAX_RATIO } from '../limits';
import { DatasetWriter } from '../writer';
import { ByteStream } from './byte-stream';
import type { FolderListing } from './folder';

const IMAGES_NAME = /idx[34]-ubyte(\.gz)?$/i;
const LABELS_NAME = /idx1-ubyte(\.gz)?$/i;

/** The sidecar naming the classes of an IDX dataset. */
export const CLASSES_FILE = 'classes.json';

/** Fashion-MNIST's labels 0–9 (https://github.com/zalandoresearch/fashion-mnist#labels). */
const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

const classesFileSchema = z.object({ name: z.string().min(1).optional(), classes: z.array(z.string().min(1)).min(1).max(256) });

/** True for a regular file (a FIFO or device beside the images must not be opened: it could block forever). */
function isRegularFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

/** True for names like train-images-idx3-ubyte(.gz). */
export function isIdxImagesName(name: string): boolean {
  return IMAGES_NAME.test(name);
}

/** True for names like train-labels-idx1-ubyte(.gz). */
export function isIdxLabelsName(name: string): boolean {
  return LABELS_NAME.test(name);
}

/** The labels file that belongs to an images file, if it exists. */
export function labelsFileFor(imagesPath: string): string | undefined {
  const name = basename(imagesPath).replace(/\.gz$/i, '');
  const labelsName = name.replace(/images/i, 'labels').replace(/idx[34]/i, 'idx1');
  if (labelsName === name) return undefined;
  return [labelsName, `${labelsName}.gz`].map((n) => join(dirname(imagesPath), n)).find(isRegularFile);
}

/** Every file an IDX import of these images reads (for the fingerprint). */
export function idxInputs(imagesPath: string): string[] {
  const labels = labelsFileFor(imagesPath);
  const classes = join(dirname(imagesPath), CLASSES_FILE);
  return [imagesPath, ...(labels ? [labels] : []), ...(isRegularFile(classes) ? [classes] : [])];
}

/** Images files at the top of a folder, sorted by name; empty when it is not an IDX folder. */
export function detectIdx(listing: FolderListing): string[] {
  return listing.files.filter((f) => !f.rel.includes('/') && isIdxImagesName(f.rel)).map((f) => f.abs);
}

interface IdxHeader {
  dims: number[];
}

async function readHeader(stream: ByteStream, path: string, expectedDims: number[]): Promise<IdxHeader> {
  const name = basename(path);
  const magic = await stream.read(4);
  const wanted = expectedDims.map((d) => `0x0000080${d}`).join(' or ');
  const got = magic ? `0x${magic.toString('hex').padStart(8, '0')}` : 'a file shorter than 4 bytes';
  if (!magic || magic[0] !== 0 || magic[1] !== 0 || magic[2] !== 0x08 || !expectedDims.includes(magic[3]!)) {
    throw new DatasetError(`${name} is not an IDX ${expectedDims.includes(1) ? 'labels' : 'images'} file: expected magic number ${wanted}, got ${got}.`, 'Pass the unmodified MNIST-format files (…-images-idx3-ubyte[.gz] and …-labels-idx1-ubyte[.gz]).');
  }
  const raw = await stream.read(4 * magic[3]!);
  if (!raw) throw new DatasetError(`${name} is truncated: its header ends early.`, 'Download the file again.');
  const dims = Array.from({ length: magic[3]! }, (_, i) => raw.readUInt32BE(i * 4));
  return { dims };
}

function lengthError(path: string, what: string, expected: number, got: string): DatasetError {
  return new DatasetError(`${basename(path)} has the wrong length: its header promises ${expected.toLocaleString('en-US')} ${what}, ${got}.`, 'The file is truncated or altered; download it again.');
}

/** Reads a labels file, which must hold exactly `expected` labels (checked before its body is read). */
async function readLabels(path: string, imagesPath: string, expected: number, signal?: AbortSignal): Promise<Uint8Array> {
  const stream = await ByteStream.open(path, basename(path), signal);
  try {
    const { dims } = await readHeader(stream, path, [1]);
    const count = dims[0]!;
    if (count !== expected) {
      throw new DatasetError(`${basename(imagesPath)} holds ${expected} images but its labels file holds ${count} labels.`, 'Pair each images file with the labels file of the same split (train/t10k).');
    }
    const labels = await stream.read(count);
    if (!labels) throw lengthError(path, 'labels', count, 'but the file ends early');
    if (!(await stream.atEnd())) throw lengthError(path, 'labels', count, 'but more bytes follow');
    return new Uint8Array(labels);
  } finally {
    await stream.close();
  }
}

async function readClassesFile(dir: string): Promise<{ name?: string; classes: string[] } | undefined> {
  const path = join(dir, CLASSES_FILE);
  if (!isRegularFile(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new DatasetError(`${CLASSES_FILE} is not valid JSON (${(error as Error).message}).`, 'Fix the file so it reads like {"classes": ["a", "b"]}, then import again (the images and labels were only read).');
  }
  const result = classesFileSchema.safeParse(parsed);
  if (!result.success) throw new DatasetError(`${CLASSES_FILE} is malformed: expected {"name"?: string, "classes": string[]}.`, 'Fix the file so it reads like {"classes": ["a", "b"]}, then import again (the images and labels were only read).');
  return result.data;
}

/** Imports one or more IDX images files (with their labels when every one has a labels file). */
export async function importIdx(imagesPaths: string[], job: ImportJob): Promise<ImportOutcome> {
  const labelPaths = imagesPaths.map(labelsFileFor);
  const labelled = labelPaths.every((p) => p !== undefined);
  const headers = await Promise.all(imagesPaths.map((p) => imagesHeader(p, job)));
  const labelSets = labelled ? await Promise.all(labelPaths.map((p, i) => readLabels(p!, imagesPaths[i]!, headers[i]!.count, job.signal))) : [];
  const sidecar = await readClassesFile(dirname(imagesPaths[0]!));
  let classNames: string[] | null = null;
  if (labelled) {
    const maxLabel = labelSets.reduce((max, set) => set.reduce((m, v) => Math.max(m, v), max), 0);
    const fashion = /fashion[-_ ]?mnist/i.test(imagesPaths[0]!) && maxLabel < FASHION_MNIST_CLASSES.length;
    classNames = sidecar?.classes ?? (fashion ? FASHION_MNIST_CLASSES : Array.from({ length: maxLabel + 1 }, (_, i) => String(i)));
    if (maxLabel >= classNames.length) throw new DatasetError(`Label ${maxLabel} has no name: ${CLASSES_FILE} lists ${classNames.length} classes.`, `Add the missing names to ${CLASSES_FILE} (one per label, in label order), or move it out of the folder to import with numbered classes.`);
  }
  const writer = await DatasetWriter.open(job, { classNames, channels: headers[0]!.channels });
  try {
    for (const [fileIndex, path] of imagesPaths.entries()) {
      if (writer.full) break;
      await importOne(path, labelSets[fileIndex], writer, job);
    }
    return { kind: 'idx', name: sidecar?.name, result: await writer.finish() };
  } catch (error) {
    await writer.abandon();
    throw error;
  }
}

interface ImagesShape {
  count: number;
  channels: 1 | 3;
}

/**
 * Reads an images file's header and checks it against the limits before any
 * pixel is read: a gzipped file could otherwise promise (and inflate to) any size.
 */
async function imagesHeader(path: string, job: ImportJob): Promise<ImagesShape> {
  const stream = await ByteStream.open(path, basename(path), job.signal);
  try {
    const { dims } = await readHeader(stream, path, [3, 4]);
    const [count, height, width, channels = 1] = dims as [number, number, number, number?];
    if (channels !== 1 && channels !== 3) throw new DatasetError(`${basename(path)} has ${channels} channels per pixel; expected 1 or 3.`);
    if (height === 0 || width === 0) throw new DatasetError(`${basename(path)} declares images of ${width}×${height} pixels; expected both sides above 0.`, 'The file is damaged; download it again.');
    if (height * width > job.limits.maxImagePixels) {
      throw new DatasetError(
        `${basename(path)} declares images of ${width}×${height} pixels, over the ${job.limits.maxImagePixels.toLocaleString('en-US')}-pixel limit per image.`,
        'The header is damaged or the file is not an image dataset; download it again.',
      );
    }
    const bytes = count * height * width * channels;
    const claim = `${basename(path)} claims ${count.toLocaleString('en-US')} images of ${width}×${height}×${channels} (${formatBytes(bytes)})`;
    const { maxTotalBytes } = job.limits;
    if (maxTotalBytes !== undefined && bytes > maxTotalBytes) {
      throw new DatasetError(`${claim}, over the ${formatBytes(maxTotalBytes)} limit.`, 'Check the file; split very large datasets or import fewer images.');
    }
    // Gzip data cannot inflate beyond deflate's most: a larger promise is a lie, refused before inflating.
    // (A raw file that promises more than it holds is found short as it is read.)
    const fileBytes = statSync(path).size;
    if (stream.gzipped && bytes > fileBytes * DEFLATE_MAX_RATIO) {
      throw new DatasetError(`${claim}, more than its ${formatBytes(fileBytes)} of gzip data can hold.`, 'The header is damaged or the file is cut short; download it again.');
    }
    return { count, channels };
  } finally {
    await stream.close();
  }
}

async function importOne(path: string, labels: Uint8Array | undefined, writer: DatasetWriter, job: ImportJob): Promise<void> {
  const stream = await ByteStream.open(path, basename(path), job.signal);
  try {
    const { dims } = await readHeader(stream, path, [3, 4]);
    const [count, height, width, channels = 1] = dims as [number, number, number, 1 | 3 | undefined];
    const recordBytes = height * width * channels;
    for (let i = 0; i < count && !writer.full; i++) {
      if (i % 1000 === 0) {
        job.signal?.throwIfAborted();
        job.progress('decode', i, count);
      }
      const record = await stream.read(recordBytes);
      if (!record) throw lengthError(path, `images of ${width}×${height}×${channels}`, count, `but the data ends after ${i}`);
      const label = labels?.[i];
      if (writer.wants(label)) await writer.add(await shapeRaw(new Uint8Array(record), width, height, channels, job.options), label);
    }
    if (!writer.full && !(await stream.atEnd())) throw lengthError(path, `images of ${width}×${height}×${channels}`, count, 'but more bytes follow');
    job.progress('decode', count, count);
  } finally {
    await stream.close();
  }
}
