/**
 * The dataset cache: <cacheRoot>/<id>/ holding manifest.json, images.u8
 * and labels.u8. Folders are built under a dot-named temporary name inside
 * the cache root and renamed into place, so a reader never sees a partial
 * dataset; names starting with '.' in the cache root are scratch space.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DATASET_SOURCE_KINDS, importOptionsSchema } from '../../shared/dataset';
import type { DatasetManifest } from '../../shared/dataset';
import { cannotRead, errorCode, isPermissionDenied } from '../common/fs-errors';
import { DatasetError } from './errors';
import { IMAGES_FILE, LABELS_FILE } from './cache-files';

export const MANIFEST_FILE = 'manifest.json';

const manifestSchema = z.object({
  version: z.literal(1),
  id: z.string().min(1),
  name: z.string(),
  source: z.object({ path: z.string(), kind: z.enum(DATASET_SOURCE_KINDS), fingerprint: z.string() }),
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

/**
 * A cache file that could not be read for a reason other than damage: the cache may be fine, so
 * it is never called damaged (which invites deleting it) nor replaced. "permission denied" and the path.
 */
export function unreadable(file: string, error: unknown): DatasetError {
  const hint = isPermissionDenied(error)
    ? 'The cache is not damaged: give this user read access to it (e.g. chmod -R u+rX on the folder), or run the studio as the user that imported it.'
    : 'Check the disk, then try again.';
  return new DatasetError(`The cached dataset cannot be read: ${cannotRead(file, error)}.`, hint);
}

/** The size of a cache file, or undefined when it does not exist; other failures (permission) are thrown as such. */
async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw unreadable(path, error);
  }
}

/** What is in a cache folder: a checked manifest, nothing (no manifest.json), or damage (with what is wrong). */
export type CacheState = { manifest: DatasetManifest } | { missing: true } | { damage: string };

/**
 * Read a cache folder's manifest and check the data files' lengths against it. A file that cannot
 * be read (permission, a disk error) is thrown as a DatasetError saying so — it is neither missing nor damage.
 */
export async function readCacheState(dir: string): Promise<CacheState> {
  const file = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return { missing: true };
    throw unreadable(file, error);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { damage: `${MANIFEST_FILE} is not valid JSON` };
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) return { damage: `${MANIFEST_FILE} does not match the expected format` };
  const manifest = parsed.data as DatasetManifest;
  const imageBytes = manifest.count * manifest.width * manifest.height * manifest.channels;
  const actualImages = await sizeOf(join(dir, IMAGES_FILE));
  if (actualImages !== imageBytes) return { damage: `expected ${IMAGES_FILE} of ${imageBytes} bytes, got ${actualImages ?? 'no file'}` };
  if (manifest.hasLabels) {
    const actualLabels = await sizeOf(join(dir, LABELS_FILE));
    if (actualLabels !== manifest.count) return { damage: `expected ${LABELS_FILE} of ${manifest.count} bytes, got ${actualLabels ?? 'no file'}` };
    if (manifest.classCounts.length !== manifest.classNames.length) return { damage: 'class names and counts differ in length' };
  }
  return { manifest };
}

/** Reads a cache folder's manifest and checks the data files' lengths against it; DatasetError says what is wrong. */
export async function readCheckedManifest(dir: string): Promise<DatasetManifest> {
  const state = await readCacheState(dir);
  if ('manifest' in state) return state.manifest;
  if ('damage' in state) throw damaged(dir, state.damage);
  throw new DatasetError(`${dir} is not a dataset cache folder: it has no ${MANIFEST_FILE}.`, 'Import the dataset first, or pass the folder importDataset returned.');
}
