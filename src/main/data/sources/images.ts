/**
 * Importer for a folder of encoded images (also what archives extract to).
 * The class of an image is its first-level subfolder; images directly in
 * the folder are unlabelled, or class "(root)" when subfolder classes exist.
 * Files that are not images, or do not decode, are skipped and reported.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { DatasetSourceKind } from '../../../shared/dataset';
import { decodeImage, IMAGE_EXTENSIONS } from '../decode';
import { formatBytes } from '../errors';
import type { ImportJob, ImportOutcome } from '../job';
import { DatasetWriter } from '../writer';
import type { DecodedImage } from '../writer';
import type { FolderListing, ListedFile } from './folder';

/** Class name given to top-level images when the other images sit in class folders. */
export const ROOT_CLASS = '(root)';

/** Images decoded at once: sharp works on the libuv pool, so a few in flight keep the cores busy. */
const DECODE_WINDOW = 4;

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
    for (let start = 0; start < total && !writer.full; start += DECODE_WINDOW) {
      job.signal?.throwIfAborted();
      const window = candidates.slice(start, start + DECODE_WINDOW);
      const decoded = await Promise.all(
        window.map(async ({ file }): Promise<DecodedImage | Error> => {
          try {
            return await decodeImage(await readFile(file.abs), job.options, job.limits.maxImagePixels);
          } catch (error) {
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      );
      for (const [i, result] of decoded.entries()) {
        const { file, label } = window[i]!;
        if (result instanceof Error) writer.skip(file.rel, skipReason(result, job.limits.maxImagePixels));
        else await writer.add(result, label, file.rel);
      }
      job.progress('decode', Math.min(start + window.length, total), total);
    }
    return { kind, result: await writer.finish() };
  } catch (error) {
    await writer.abandon();
    throw error;
  }
}
