/**
 * Answers computed from a file (or folder), kept until it changes. A version
 * is the file's inode, size and nanosecond mtime: run.json and jsonl files are
 * replaced by rename (a new inode) or appended (a new size and mtime), and a
 * folder's mtime moves when an entry is added. One stat instead of a read and
 * parse per run is what keeps a runs folder of a 1,000-run sweep listing fast.
 */
import { stat } from 'node:fs/promises';

interface Cached<T> {
  version: string;
  value: T;
}

export class FileVersionCache<T> {
  private readonly cached = new Map<string, Cached<T>>();

  /**
   * `compute()` for `path` unless its version is the one last computed; `missing()` when it does not
   * exist. A path that cannot be stat'ed for another reason is computed afresh (compute reports it).
   */
  async get(path: string, compute: () => Promise<T>, missing: () => Promise<T>): Promise<T> {
    let version: string;
    try {
      const stats = await stat(path, { bigint: true });
      version = `${stats.ino}:${stats.size}:${stats.mtimeNs}`;
    } catch (error) {
      this.cached.delete(path);
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? missing() : compute();
    }
    const hit = this.cached.get(path);
    if (hit && hit.version === version) return hit.value;
    const value = await compute();
    this.cached.set(path, { version, value });
    return value;
  }

  /** Forget paths not in `keep` (folders deleted meanwhile). */
  retain(keep: (path: string) => boolean): void {
    for (const path of this.cached.keys()) if (!keep(path)) this.cached.delete(path);
  }
}
