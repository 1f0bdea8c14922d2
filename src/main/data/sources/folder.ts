/**
 * Recursive folder listing shared by the folder importer, source detection
 * and the fingerprint. Symbolic links are listed apart and never followed,
 * so a dataset cannot pull in files from elsewhere or loop forever.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface ListedFile {
  /** Path relative to the listed folder, '/'-separated. */
  rel: string;
  abs: string;
  size: number;
  mtimeMs: number;
}

export interface FolderListing {
  files: ListedFile[];
  /** Relative paths of symbolic links (reported as skipped). */
  links: string[];
}

/** Operating-system litter that is ignored silently rather than reported. */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name === '__MACOSX' || name === 'Thumbs.db' || name === 'desktop.ini';
}

/** Lists every regular file below `dir`, sorted by relative path. */
export async function listFolder(dir: string, signal?: AbortSignal): Promise<FolderListing> {
  const listing: FolderListing = { files: [], links: [] };
  async function walk(abs: string, rel: string): Promise<void> {
    signal?.throwIfAborted();
    const entries = await readdir(abs, { withFileTypes: true });
    for (const entry of entries) {
      if (isIgnoredName(entry.name)) continue;
      const childAbs = join(abs, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) listing.links.push(childRel);
      else if (entry.isDirectory()) await walk(childAbs, childRel);
      else if (entry.isFile()) {
        const stats = await lstat(childAbs);
        listing.files.push({ rel: childRel, abs: childAbs, size: stats.size, mtimeMs: stats.mtimeMs });
      }
    }
  }
  await walk(dir, '');
  const byRel = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  listing.files.sort((a, b) => byRel(a.rel, b.rel));
  listing.links.sort(byRel);
  return listing;
}
