/**
 * Importer for a folder of encoded images (also what archives extract to).
 * The class of an image is its first-level subfolder; images directly in
 * the folder are unlabelled, or class "(root)" when subfolder classes exist.
 * Files that are not images, or do not decode, are skipped and reported.
 */
import { extname } from 'node:path';
import type { DatasetSourceKind } from '../../../shared/dataset';
import { IMAGE_EXTENSIONS } from '../decode';
import { decodeOnThread, DecodeThreadError } from '../decode-threads';
import { DatasetError, formatBytes } from '../errors';
import type { ImportJob, ImportOutcome } from '../job';
import { DatasetWriter } from '../writer';
import type { DecodedImage } from '../writer';
import { forEachInOrder } from './ordered';
import { SkipFile } from './folder';
import type { FolderListing, ListedFile } from './folder';

/** Class name given to top-level images when the other images sit in class folders. */
export const ROOT_CLASS = '(root)';

/**
 * Images decoded at once, on the decode threads (decode-threads.ts): enough
 * to keep every thread busy while this one reads entries and writes results;
 * it also bounds the decoded images held at any time (each at most
 * maxImagePixels × 3 bytes).
 */
const DECODE_CONCURRENCY = 8;

function isImage(rel: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(rel).toLowerCase());
}

/** Class names from first-level folders holding images, sorted; null when every image is top-level. */
export function classNamesOf(files: ListedFile[]): string[] | null {
  const names = new Set<string>();
  let rootImages = false;
  for (const f of files) {
    if (!isImage(f.rel)) continue;
    const slash = f.rel.indexOf('/');
    if (slash < 0) rootImages = true;
    else names.add(f.rel.slice(0, slash));
  }
  if (names.size === 0) return null;
  if (rootImages) names.add(ROOT_CLASS);
  return [...names].sort();
}

function skipReason(error: unknown, maxPixels: number): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return `image larger than the ${maxPixels.toLocaleString('en-US')}-pixel limit`;
  return `not a readable image (${message})`;
}

/** Imports the listed images in path order; `kind` is what the manifest records. */
export async function importImageFiles(listing: FolderListing, job: ImportJob, kind: DatasetSourceKind): Promise<ImportOutcome> {
  const classNames = classNamesOf(listing.files);
  const writer = await DatasetWriter.open(job, { classNames });
  try {
    for (const other of listing.others) writer.skip(other.rel, other.reason);
    const candidates: { file: ListedFile; label?: number }[] = [];
    for (const file of listing.files) {
      if (!isImage(file.rel)) {
        writer.skip(file.rel, `not an image file (${extname(file.rel) || 'no extension'})`);
        continue;
      }
      if (file.size > job.limits.maxEntryBytes) {
        writer.skip(file.rel, `file too large (${formatBytes(file.size)}, limit ${formatBytes(job.limits.maxEntryBytes)})`);
        continue;
      }
      const label = classNames ? classNames.indexOf(file.rel.includes('/') ? file.rel.slice(0, file.rel.indexOf('/')) : ROOT_CLASS) : undefined;
      if (writer.wants(label)) candidates.push({ file, label });
    }
    const total = candidates.length;
    let done = 0;
    await forEachInOrder(
      candidates,
      DECODE_CONCURRENCY,
      async ({ file }): Promise<DecodedImage | Error> => {
        if (writer.full) return new Error('not needed');
        try {
          return await decodeOnThread(file.read ? await file.read() : file.abs, job.options, job.limits.maxImagePixels);
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      },
      async (result, { file, label }) => {
        job.signal?.throwIfAborted();
        if (writer.full) return false;
        // A hostile archive (over the caps, damaged) or a failed decode thread fails the import; a bad image is skipped.
        if (result instanceof DatasetError || result instanceof DecodeThreadError) throw result;
        if (result instanceof SkipFile) writer.skip(file.rel, result.message);
        else if (result instanceof Error) writer.skip(file.rel, skipReason(result, job.limits.maxImagePixels));
        else await writer.add(result, label);
        job.progress('decode', ++done, total);
        return true;
      },
    );
    return { kind, result: await writer.finish() };
  } catch (error) {
    await writer.abandon();
    throw error;
  }
}
