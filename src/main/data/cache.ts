/**
 * The dataset cache: <cacheRoot>/<id>/ holding manifest.json, images.u8
 * and labels.u8. Folders are built under a dot-named temporary name inside
 * the cache root and renamed into place, so a reader never sees a partial
 * dataset; names starting with '.' in the cache root are scratch space.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { importOptionsSchema } from '../../shared/dataset';
import type { DatasetManifest } from '../../shared/dataset';
import { DatasetError } from './errors';
import { IMAGES_FILE, LABELS_FILE } from './cache-files';

export const MANIFEST_FILE = 'manifest.json';

const manifestSchema = z.object({
  version: z.literal(1),
  id: z.string().min(1),
  name: z.string(),
  source: z.object({ path: z.string(), kind: z.enum(['folder', 'zip', 'tar', 'cifar10', 'cifar100', 'idx', 'npy', 'builtin']), fingerprint: z.string() }),
  count: z.number().int().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  channels: z.union([z.literal(1), z.literal(3)]),
  hasLabels: z.boolean(),
  classNames: z.array(z.string()),
  classCounts: z.array(z.number().int().nonnegative()),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
  mixedSizes: z.object({ resized: z.number().int().nonnegative(), size: z.number().int().positive() }).optional(),
  options: importOptionsSchema,
  createdAt: z.string(),
});

function damaged(dir: string, detail: string): DatasetError {
  return new DatasetError(`The cached dataset in ${dir} is damaged: ${detail}.`, 'Import the dataset again from its source: the import replaces the damaged cache, and the source files are only read.');
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

/** Reads a cache folder's manifest and checks the data files' lengths against it. */
export async function readCheckedManifest(dir: string): Promise<DatasetManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DatasetError(`${dir} is not a dataset cache folder: it has no ${MANIFEST_FILE}.`, 'Import the dataset first, or pass the folder importDataset returned.');
    throw damaged(dir, `${MANIFEST_FILE} is not valid JSON`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw damaged(dir, `${MANIFEST_FILE} does not match the expected format`);
  const manifest = parsed.data as DatasetManifest;
  const imageBytes = manifest.count * manifest.width * manifest.height * manifest.channels;
  const actualImages = await sizeOf(join(dir, IMAGES_FILE));
  if (actualImages !== imageBytes) throw damaged(dir, `expected ${IMAGES_FILE} of ${imageBytes} bytes, got ${actualImages ?? 'no file'}`);
  if (manifest.hasLabels) {
    const actualLabels = await sizeOf(join(dir, LABELS_FILE));
    if (actualLabels !== manifest.count) throw damaged(dir, `expected ${LABELS_FILE} of ${manifest.count} bytes, got ${actualLabels ?? 'no file'}`);
    if (manifest.classCounts.length !== manifest.classNames.length) throw damaged(dir, 'class names and counts differ in length');
  }
  return manifest;
}
