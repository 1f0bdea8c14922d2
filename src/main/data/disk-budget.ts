/**
 * What an import may write to the cache's disk — unpacked archive entries,
 * scratch copies, the cache itself: the free space when it began, less the
 * space it must leave free (ImportLimits.keepFreeBytes). Writers take their
 * bytes before writing them, so an import too large for the disk is refused
 * with a message saying so instead of filling the disk to the last byte.
 */
import { statfs } from 'node:fs/promises';
import { DatasetError, formatBytes } from './errors';

export class DiskBudget {
  private taken = 0;

  private constructor(
    private readonly dir: string,
    private readonly free: number,
    private readonly keepFree: number,
  ) {}

  /** The budget of the disk holding `dir` (which must exist); see ImportLimits.keepFreeBytes for the default margin. */
  static async of(dir: string, keepFreeBytes: number | undefined): Promise<DiskBudget> {
    const { bavail, bsize } = await statfs(dir);
    const free = bavail * bsize;
    return new DiskBudget(dir, free, keepFreeBytes ?? defaultKeepFree(free));
  }

  /** Counts `bytes` about to be written; throws DatasetError when they would leave less than keepFreeBytes free. */
  take(bytes: number): void {
    this.taken += bytes;
    if (this.free - this.taken >= this.keepFree) return;
    throw new DatasetError(
      `Not enough disk space for this import: it needs more than the ${formatBytes(Math.max(0, this.free - this.keepFree))} it may use in ${this.dir} (${formatBytes(this.free)} free, ${formatBytes(this.keepFree)} kept free).`,
      {
        cli: 'Free some space on that disk, import fewer or smaller images (--max-images, --size), or keep the datasets on a larger disk (GAN_STUDIO_HOME, or inspect-data --cache DIR).',
        gui: 'Free some space on that disk, import fewer or smaller images ("Max images", "Resize to"), or keep the datasets on a larger disk (set GAN_STUDIO_HOME before starting the studio).',
      },
    );
  }
}

/** 1 GiB, or half of what is free when that is less than 2 GiB. */
export function defaultKeepFree(freeBytes: number): number {
  return Math.min(1024 ** 3, Math.floor(freeBytes / 2));
}

/** True for a write that failed because the disk (or the user's quota on it) is full: the disk's fault, never the source's. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
