/**
 * Streams a .tar / .tar.gz / .tgz with tar's Parser, one entry at a time.
 * Small image entries are held in memory (up to HELD_TOTAL_BYTES in all) and
 * decoded from there; the others are written into a scratch folder. Writing
 * every small file out and reading it back was most of a tar.gz import's
 * time (a file's mkdir, open, write and close, and a stream pipeline each).
 * Only regular files are kept; links (symbolic or hard) refuse the archive,
 * folders are implied by file paths, and other entry types (devices, FIFOs)
 * are skipped. Gzip is detected by magic bytes and decompressed here so the
 * total decompressed size is metered.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { basename, dirname, extname, relative, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Parser } from 'tar';
import type { ReadEntry } from 'tar';
import { DatasetError } from '../errors';
import type { ImportLimits } from '../limits';
import { IMAGE_EXTENSIONS, looksLikeImage } from '../decode';
import { ArchiveBudget, entryTarget, imageSniffer, linkEntry, NOT_IMAGE_CONTENT } from './archive-guard';
import { isGzipFile } from './byte-stream';
import type { ListedFile, SkipFile, UnreadEntry } from './folder';

/** Image entries up to this size are held in memory rather than written out… */
const HELD_ENTRY_BYTES = 1024 * 1024;
/** …while all held entries together stay within this. */
const HELD_TOTAL_BYTES = 256 * 1024 * 1024;

/** What extractTar leaves: entries held in memory (read once each), and those the report names as unread. */
export interface TarContents {
  held: ListedFile[];
  unread: UnreadEntry[];
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
/** Folders are implied by the files' paths. */
const FOLDER_TYPES = new Set(['Directory', 'GNUDumpDir']);

function explain(archive: string, error: unknown): unknown {
  if (error instanceof DatasetError || (error instanceof Error && error.name === 'AbortError')) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DatasetError(`${archive} is not a readable tar archive (${message}).`, 'Check that the file is a complete .tar or .tar.gz; re-download or re-create it.');
}

/**
 * Extracts every regular file of the tar archive at `path`: small images into memory, the rest
 * into `dest`; `onEntry` counts entries for progress. Also returns the entries left out that the
 * report should name (FIFOs, devices, image-named entries that are no image).
 */
export async function extractTar(path: string, dest: string, limits: ImportLimits, signal?: AbortSignal, onEntry?: (done: number) => void): Promise<TarContents> {
  const archive = basename(path);
  const budget = new ArchiveBudget(archive, limits);
  const writes: Promise<void>[] = [];
  const unread: UnreadEntry[] = [];
  const held = new Map<string, ListedFile>();
  /** Names seen so far: a name that comes again goes to disk, where the later copy wins as tar extraction has it. */
  const seen = new Set<string>();
  let heldBytes = 0;
  // Aborts the entry writes still waiting for data when the archive stream fails: a truncated gzip
  // ends the parser mid-entry, and that entry's stream would otherwise never end (the import hung).
  const abandon = new AbortController();
  let done = 0;
  const parser = new Parser({
    strict: true,
    // Entries stay paused until their file stream is attached (after mkdir), so no data is lost.
    noResume: true,
    onReadEntry: (entry: ReadEntry) => {
      // The parser can still emit buffered entries after the archive stream failed: skip them.
      if (abandon.signal.aborted) {
        entry.resume();
        return;
      }
      try {
        onEntry?.(++done);
        const target = checkEntry(entry, archive, dest, budget);
        if (target === null || !FILE_TYPES.has(entry.type)) {
          if (target !== null && !FOLDER_TYPES.has(entry.type)) unread.push({ rel: relative(dest, target).split(sep).join('/'), reason: `${entry.type} entry, not a regular file` });
          entry.resume();
          return;
        }
        const rel = relative(dest, target).split(sep).join('/');
        const again = seen.has(rel);
        seen.add(rel);
        if (!again && IMAGE_EXTENSIONS.has(extname(rel).toLowerCase()) && entry.size <= HELD_ENTRY_BYTES && heldBytes + entry.size <= HELD_TOTAL_BYTES) {
          heldBytes += entry.size;
          holdEntry(entry, rel, path, budget, (file) => held.set(rel, file), (reason) => unread.push({ rel, reason }), (error) => parser.abort(error));
          return;
        }
        held.delete(rel);
        const write = writeEntry(entry, target, budget, abandon.signal, unread, rel);
        // Observed below (Promise.all / allSettled); a write failing while the archive still streams is not unhandled.
        write.catch(() => undefined);
        writes.push(write);
      } catch (error) {
        parser.abort(error as Error);
      }
    },
  });
  // tar's Parser keeps every byte after the end-of-archive blocks by concatenating it to one
  // growing buffer (quadratic: 16 MiB of zero padding took 8 s); drop them here instead.
  let ended = false;
  parser.on('eof', () => (ended = true));
  const afterEnd = new Transform({ transform: (chunk: Buffer, _encoding, done) => done(null, ended ? undefined : chunk) });
  const source = createReadStream(path, { signal });
  const stages: NodeJS.ReadWriteStream[] = (await isGzipFile(path)) ? [createGunzip()] : [];
  stages.push(budget.meterStream(), afterEnd);
  try {
    await pipeline([source, ...stages, parser as unknown as NodeJS.WritableStream], { signal });
    await Promise.all(writes);
    return { held: [...held.values()], unread };
  } catch (error) {
    abandon.abort();
    await Promise.allSettled(writes);
    throw explain(archive, error);
  }
}

function checkEntry(entry: ReadEntry, archive: string, dest: string, budget: ArchiveBudget): string | null {
  if (entry.type === 'SymbolicLink' || entry.type === 'Link') throw linkEntry(archive, entry.path);
  const target = entryTarget(archive, dest, entry.path);
  if (target === null || !FILE_TYPES.has(entry.type)) return target;
  budget.claim(entry.path, entry.size);
  return target;
}

/** Collects one small image entry in memory; it is listed (as a file read once) when it starts like an image. */
function holdEntry(entry: ReadEntry, rel: string, archive: string, budget: ArchiveBudget, keep: (file: ListedFile) => void, skip: (reason: string) => void, fail: (error: Error) => void): void {
  const chunks: Buffer[] = [];
  entry.on('data', (chunk: Buffer) => chunks.push(chunk));
  entry.on('end', () => {
    try {
      // A copy of exactly the entry: its chunks may be views into a larger decompressed block.
      let data: Buffer | undefined = Buffer.concat(chunks);
      budget.account(entry.path, data.length);
      if (!looksLikeImage(data)) return skip(NOT_IMAGE_CONTENT);
      const mtimeMs = entry.mtime?.getTime() ?? 0;
      keep({
        rel,
        abs: archive,
        size: data.length,
        mtimeMs,
        // Read once: the bytes are let go as soon as the decoder has them.
        read: async () => {
          const bytes = data;
          data = undefined;
          if (!bytes) throw new Error(`${rel} was already read`);
          return bytes;
        },
      });
    } catch (error) {
      fail(error as Error);
    }
  });
}

/** Writes one entry; an image-named entry whose content is no image is read past, not written, and listed in `unread`. */
async function writeEntry(entry: ReadEntry, target: string, budget: ArchiveBudget, signal: AbortSignal, unread: UnreadEntry[], rel: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  let rejected: SkipFile | undefined;
  const sniffer = imageSniffer(entry.path, (reason) => (rejected = reason));
  await pipeline(entry as unknown as NodeJS.ReadableStream, budget.meter(entry.path), sniffer, createWriteStream(target), { signal });
  if (rejected) {
    await rm(target, { force: true });
    unread.push({ rel, reason: rejected.message });
  }
}
