/**
 * Streams a .tar / .tar.gz / .tgz into a scratch folder with tar's Parser,
 * one entry at a time. Only regular files are written; links (symbolic or
 * hard) refuse the archive, folders are implied by file paths, and other
 * entry types (devices, FIFOs) are skipped. Gzip is detected by magic bytes
 * and decompressed here so the total decompressed size is metered.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { basename, dirname, relative, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Parser } from 'tar';
import type { ReadEntry } from 'tar';
import { DatasetError } from '../errors';
import type { ImportLimits } from '../limits';
import { ArchiveBudget, entryTarget, imageSniffer, linkEntry } from './archive-guard';
import { isGzipFile } from './byte-stream';
import type { SkipFile, UnreadEntry } from './folder';

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
/** Folders are implied by the files' paths. */
const FOLDER_TYPES = new Set(['Directory', 'GNUDumpDir']);

function explain(archive: string, error: unknown): unknown {
  if (error instanceof DatasetError || (error instanceof Error && error.name === 'AbortError')) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DatasetError(`${archive} is not a readable tar archive (${message}).`, 'Check that the file is a complete .tar or .tar.gz; re-download or re-create it.');
}

/**
 * Extracts every regular file of the tar archive at `path` into `dest`; `onEntry` counts entries
 * for progress. Returns the entries left out that the report should name (FIFOs, devices).
 */
export async function extractTar(path: string, dest: string, limits: ImportLimits, signal?: AbortSignal, onEntry?: (done: number) => void): Promise<UnreadEntry[]> {
  const archive = basename(path);
  const budget = new ArchiveBudget(archive, limits);
  const writes: Promise<void>[] = [];
  const unread: UnreadEntry[] = [];
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
        const write = writeEntry(entry, target, budget, abandon.signal, unread, relative(dest, target).split(sep).join('/'));
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
    return unread;
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
