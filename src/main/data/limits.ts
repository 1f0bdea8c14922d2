/**
 * Caps that keep a hostile or broken source from filling the disk or the
 * memory: archives are checked entry by entry while they stream, images
 * before sharp decodes them, and whatever an import writes against the free
 * space of the cache's disk (disk-budget.ts).
 *
 * There is no fixed cap on an archive's total size (it used to be 8 GiB,
 * which refused FFHQ's 89 GB zip): what a zip bomb relies on is refused
 * instead — entries sharing their compressed data, entries claiming more
 * than deflate can produce, data going on after a tar's end — so an
 * archive never inflates to more than about a thousand times its size, and
 * what it would write must fit on the disk.
 */
export interface ImportLimits {
  /** Largest uncompressed size of one archive entry (claimed or actual). */
  maxEntryBytes: number;
  /** A cap on an archive's total uncompressed size (and on an IDX file's promise), when one is wanted; none by default. */
  maxTotalBytes?: number;
  /** Most entries an archive may hold. */
  maxEntries: number;
  /** Largest image (width × height) sharp is allowed to decode. */
  maxImagePixels: number;
  /**
   * Free space an import leaves on the cache's disk: what it writes may not take the disk below
   * this. Unset: 1 GiB, or half the free space on a disk with less than 2 GiB free (a small
   * import onto a nearly full disk still works, and still leaves a margin).
   */
  keepFreeBytes?: number;
}

export const DEFAULT_LIMITS: ImportLimits = {
  maxEntryBytes: 512 * 1024 ** 2,
  maxEntries: 2_000_000,
  maxImagePixels: 64 * 1024 * 1024,
};

/**
 * The most one deflate (zip, gzip) stream can expand: 258 bytes from every 2 bits at best,
 * about 1,032 to 1, rounded up for headers. A claim beyond it is a lie, not data.
 */
export const DEFLATE_MAX_RATIO = 1_100;

/** Defaults overridden by whatever the caller passes. */
export function resolveLimits(partial?: Partial<ImportLimits>): ImportLimits {
  return { ...DEFAULT_LIMITS, ...partial };
}
