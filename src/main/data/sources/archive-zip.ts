/**
 * Streams a .zip into a scratch folder with yauzl, one entry at a time.
 * yauzl already rejects absolute and ../ names and checks that each entry
 * inflates to exactly its declared size; on top of that every entry passes
 * the archive guard (path, link, size caps) before it is written.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { DatasetError } from '../errors';
import type { ImportLimits } from '../limits';
import { ArchiveBudget, entryTarget, escapingEntry, linkEntry } from './archive-guard';
import type { UnreadEntry } from './folder';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, validateEntrySizes: true, strictFileNames: false }, (error, zip) => {
      if (error || !zip) reject(error ?? new Error('no zip file'));
      else resolve(zip);
    });
  });
}

function openEntry(zip: ZipFile, entry: Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) reject(error ?? new Error('no entry stream'));
      else resolve(stream);
    });
  });
}

/** Turns yauzl's errors into user-facing ones. */
function explain(archive: string, error: unknown): unknown {
  if (error instanceof DatasetError || (error instanceof Error && error.name === 'AbortError')) return error;
  const message = error instanceof Error ? error.message : String(error);
  const badName = /^(?:absolute path|invalid relative path|invalid characters in fileName): (.*)$/.exec(message);
  if (badName) return escapingEntry(archive, badName[1]!);
  if (/too many bytes|too few bytes|uncompressed size/i.test(message)) {
    return new DatasetError(`Refusing ${archive}: an entry's data does not match its declared size (${message}).`, 'The archive is damaged or crafted; re-create it from the original files.');
  }
  return new DatasetError(`${archive} is not a readable zip archive (${message}).`, 'Check that the file is a complete .zip; re-download or re-create it.');
}

/**
 * Extracts every file entry of the zip at `path` into `dest`; `onEntry` counts entries for
 * progress. Returns the entries left out that the report should name.
 */
export async function extractZip(path: string, dest: string, limits: ImportLimits, signal?: AbortSignal, onEntry?: (done: number, total: number) => void): Promise<UnreadEntry[]> {
  const archive = basename(path);
  const budget = new ArchiveBudget(archive, limits);
  let zip: ZipFile;
  try {
    zip = await openZip(path);
  } catch (error) {
    throw explain(archive, error);
  }
  const unread: UnreadEntry[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown): void => {
        zip.close();
        reject(explain(archive, error));
      };
      zip.on('error', fail);
      zip.on('end', () => resolve());
      let done = 0;
      zip.on('entry', (entry: Entry) => {
        extractEntry(zip, entry, dest, archive, budget, signal).then(() => {
          onEntry?.(++done, zip.entryCount);
          zip.readEntry();
        }, fail);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return unread;
}

async function extractEntry(zip: ZipFile, entry: Entry, dest: string, archive: string, budget: ArchiveBudget, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  const name = entry.fileName;
  if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) throw linkEntry(archive, name);
  const target = entryTarget(archive, dest, name);
  if (name.endsWith('/') || target === null) return;
  if (entry.isEncrypted()) throw new DatasetError(`${archive} is encrypted (entry "${name}").`, 'Extract it with the password yourself and import the folder.');
  budget.claim(name, entry.uncompressedSize);
  await mkdir(dirname(target), { recursive: true });
  const stream = await openEntry(zip, entry);
  await pipeline(stream, budget.meter(name), createWriteStream(target), { signal });
}
