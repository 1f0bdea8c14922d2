/**
 * Recursive folder listing shared by the folder importer, source detection
 * and the fingerprint. Only regular files are ever opened: symbolic links
 * are never followed (a dataset cannot pull in files from elsewhere or loop
 * forever), and FIFOs, sockets and devices are never read (a FIFO blocks
 * its reader forever); both are listed apart and reported as skipped.
 */
import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface ListedFile {
  /** Path relative to the listed folder (or archive), '/'-separated. */
  rel: string;
  /** The file on disk; for an archive entry read in place, the archive. */
  abs: string;
  size: number;
  mtimeMs: number;
  /**
   * For archive entries read in place: their bytes, or the path of a scratch
   * copy for large ones. Throws SkipFile when the entry is not worth decoding.
   */
  read?: () => Promise<Uint8Array | string>;
}

/** Thrown by ListedFile.read for an entry to skip; the message is the report's reason. */
export class SkipFile extends Error {
  override readonly name = 'SkipFile';
}

/** Something in the listing that is not read, with the reason the report gives. */
export interface UnreadEntry {
  rel: string;
  reason: string;
}

export interface FolderListing {
  files: ListedFile[];
  /** Symbolic links, FIFOs, sockets, devices (and archive entries left unextracted): reported as skipped. */
  others: UnreadEntry[];
}

/** Why an entry that is not a regular file or folder is not read; undefined for regular files and folders. */
export function notRegularReason(entry: Dirent | Stats): string | undefined {
  if (entry.isFile() || entry.isDirectory()) return undefined;
  if (entry.isSymbolicLink()) return 'symbolic link (not followed)';
  if (entry.isFIFO()) return 'named pipe (FIFO), not a regular file';
  if (entry.isSocket()) return 'socket, not a regular file';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'device, not a regular file';
  return 'special file, not a regular file';
}

/** Operating-system litter that is ignored silently rather than reported. */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name === '__MACOSX' || name === 'Thumbs.db' || name === 'desktop.ini';
}

/** Lists every regular file below `dir`, sorted by relative path. */
export async function listFolder(dir: string, signal?: AbortSignal): Promise<FolderListing> {
  const listing: FolderListing = { files: [], others: [] };
  async function walk(abs: string, rel: string): Promise<void> {
    signal?.throwIfAborted();
    const entries = await readdir(abs, { withFileTypes: true });
    for (const entry of entries) {
      if (isIgnoredName(entry.name)) continue;
      const childAbs = join(abs, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(childAbs, childRel);
      else if (entry.isFile()) {
        const stats = await lstat(childAbs);
        // Replaced by something else since readdir: report it rather than open it.
        const changed = notRegularReason(stats);
        if (changed) listing.others.push({ rel: childRel, reason: changed });
        else listing.files.push({ rel: childRel, abs: childAbs, size: stats.size, mtimeMs: stats.mtimeMs });
      } else listing.others.push({ rel: childRel, reason: notRegularReason(entry)! });
    }
  }
  await walk(dir, '');
  const byRel = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  listing.files.sort((a, b) => byRel(a.rel, b.rel));
  listing.others.sort((a, b) => byRel(a.rel, b.rel));
  return listing;
}
