/**
 * Cheap source fingerprints, so an unchanged source is recognised without
 * reading it again:
 * - a folder: SHA-256 over its absolute path and every file's relative path,
 *   size and modification time (links, FIFOs and the like by name);
 * - files (archives, IDX, NPY — with their labels/classes sidecars): SHA-256
 *   over each file's absolute path, size, modification time and its first
 *   and last MiB.
 * Touching a file (new mtime) therefore re-imports; content changes that
 * keep size and mtime inside a folder are not noticed.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { FolderListing } from './sources/folder';

const EDGE_BYTES = 1024 * 1024;

/** Fingerprint of a listed folder. */
export function fingerprintListing(root: string, listing: FolderListing): string {
  const hash = createHash('sha256').update(`folder\0${root}\n`);
  for (const f of listing.files) hash.update(`${f.rel}\0${f.size}\0${f.mtimeMs}\n`);
  for (const other of listing.others) hash.update(`other\0${other.rel}\0${other.reason}\n`);
  return `sha256:${hash.digest('hex')}`;
}

/** Fingerprint of a set of files (order matters). */
export async function fingerprintFiles(paths: string[]): Promise<string> {
  const hash = createHash('sha256').update('files\n');
  for (const path of paths) {
    const file = await open(path, 'r');
    try {
      const { size, mtimeMs } = await file.stat();
      hash.update(`${path}\0${size}\0${mtimeMs}\n`);
      const edge = Buffer.alloc(Math.min(EDGE_BYTES, size));
      await file.read(edge, 0, edge.length, 0);
      hash.update(edge);
      await file.read(edge, 0, edge.length, size - edge.length);
      hash.update(edge);
    } finally {
      await file.close();
    }
  }
  return `sha256:${hash.digest('hex')}`;
}
