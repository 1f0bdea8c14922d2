/**
 * Source detection: what kind of dataset a path holds, which files define
 * its fingerprint, and which importer reads it.
 */
import type { Stats } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { DatasetSourceKind } from '../../../shared/dataset';
import { IMAGE_EXTENSIONS } from '../decode';
import { DatasetError } from '../errors';
import { fingerprintFiles, fingerprintListing } from '../fingerprint';
import { makeScratchDir } from '../scratch';
import type { ImportJob, ImportOutcome } from '../job';
import { extractTar } from './archive-tar';
import { extractZip, zipInPlace } from './archive-zip';
import { detectCifar, importCifar } from './cifar';
import { listFolder, notRegularReason } from './folder';
import type { FolderListing } from './folder';
import { idxInputs, importIdx, isIdxImagesName, isIdxLabelsName, detectIdx } from './idx';
import { importImageFiles } from './images';
import { importNpy } from './npy';

export interface SourcePlan {
  /** Display name (file or folder name without archive extensions). */
  name: string;
  fingerprint: string;
  run(job: ImportJob): Promise<ImportOutcome>;
}

const SUPPORTED = 'a folder of images (one subfolder per class), a .zip/.tar/.tar.gz/.tgz of one, a CIFAR-10/100 binary folder or .tar.gz, MNIST-style IDX files (…-images-idx3-ubyte[.gz]) or a folder of them, or an .npy array';

function stripExtensions(name: string): string {
  return name.replace(/\.(tar\.gz|tgz|tar|zip|npy|gz)$/i, '');
}

/** Chooses the importer for a folder's contents; image files are recorded as `imagesKind`. */
export async function importFolderContents(listing: FolderListing, job: ImportJob, imagesKind: DatasetSourceKind, what: string): Promise<ImportOutcome> {
  if (listing.files.length === 0 && listing.others.length === 0) {
    throw new DatasetError(`The ${what} is empty.`, `Expected ${SUPPORTED}.`);
  }
  const cifar = detectCifar(listing);
  if (cifar) return importCifar(cifar, job);
  const idx = detectIdx(listing);
  if (idx.length > 0) return importIdx(idx, job);
  return importImageFiles(listing, job, imagesKind);
}

/** Archives of a folder usually hold that folder: look inside a lone top-level folder. */
function stripLoneFolder(listing: FolderListing): FolderListing {
  const all = [...listing.files, ...listing.others];
  const tops = new Set(all.map((f) => f.rel.split('/')[0]));
  const [top] = tops;
  if (tops.size !== 1 || !all.every((f) => f.rel.startsWith(`${top}/`))) return listing;
  const inside = <T extends { rel: string }>(f: T): T => ({ ...f, rel: f.rel.slice(top!.length + 1) });
  return { files: listing.files.map(inside), others: listing.others.map(inside) };
}

function archivePlan(path: string, kind: 'zip' | 'tar', fingerprint: string): SourcePlan {
  return {
    name: stripExtensions(basename(path)),
    fingerprint,
    async run(job) {
      const scratch = await makeScratchDir(job.scratchRoot, 'extract');
      try {
        const inPlace = kind === 'zip' ? await zipInPlace(path, job.limits, scratch, job.signal) : null;
        if (inPlace) {
          try {
            return await importFolderContents(stripLoneFolder(inPlace.listing), job, kind, 'archive');
          } finally {
            inPlace.close();
          }
        }
        job.progress('extract', 0);
        const onEntry = (done: number, total?: number): void => job.progress('extract', done, total);
        const contents = kind === 'zip' ? { held: [], unread: await extractZip(path, scratch, job.limits, job.signal, onEntry) } : await extractTar(path, scratch, job.limits, job.signal, onEntry);
        const extracted = await listFolder(scratch, job.signal);
        const byRel = (a: { rel: string }, b: { rel: string }) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0);
        const others = [...extracted.others, ...contents.unread].sort(byRel);
        const listing = stripLoneFolder({ files: [...extracted.files, ...contents.held].sort(byRel), others });
        return await importFolderContents(listing, job, kind, 'archive');
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    },
  };
}

/** Inspects `path` and returns how to import it; throws DatasetError for what cannot be a dataset. */
export async function planSource(path: string, signal?: AbortSignal): Promise<SourcePlan> {
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch {
    throw new DatasetError(`No such file or folder: ${path}.`, {
      cli: 'Check the path (quote it if it contains spaces), or pass its full path.',
      gui: 'Check the path, or drop the folder or file onto the window.',
    });
  }
  // Opening a FIFO blocks until a writer appears, a device may never end: only regular files are read.
  const special = notRegularReason(stats);
  if (special) throw new DatasetError(`${basename(path)} is a ${special}.`, `Expected ${SUPPORTED}.`);
  const isDirectory = stats.isDirectory();
  const name = stripExtensions(basename(path));
  if (isDirectory) {
    const listing = await listFolder(path, signal);
    return { name, fingerprint: fingerprintListing(path, listing), run: (job) => importFolderContents(listing, job, 'folder', 'folder') };
  }
  const lower = basename(path).toLowerCase();
  if (lower.endsWith('.zip')) return archivePlan(path, 'zip', await fingerprintFiles([path]));
  if (/\.(tar|tar\.gz|tgz)$/.test(lower)) return archivePlan(path, 'tar', await fingerprintFiles([path]));
  if (lower.endsWith('.npy')) return { name, fingerprint: await fingerprintFiles([path]), run: (job) => importNpy(path, job) };
  if (isIdxImagesName(lower)) {
    return { name: name.replace(/-?idx[34]-ubyte$/i, '') || name, fingerprint: await fingerprintFiles(idxInputs(path)), run: (job) => importIdx([path], job) };
  }
  if (isIdxLabelsName(lower)) {
    throw new DatasetError(`${basename(path)} is an IDX labels file.`, 'Pass the images file (…-images-idx3-ubyte[.gz]) or the folder; the labels next to it are found automatically.');
  }
  if (IMAGE_EXTENSIONS.has(extname(lower))) {
    throw new DatasetError(`${basename(path)} is a single image, not a dataset.`, 'Pass the folder that holds the images.');
  }
  throw new DatasetError(`Unsupported dataset file: ${basename(path)}.`, `Expected ${SUPPORTED}.`);
}
