/**
 * Caps that keep a hostile or broken source from filling the disk or the
 * memory: archives are checked entry by entry while they stream, images
 * before sharp decodes them.
 */
export interface ImportLimits {
  /** Largest uncompressed size of one archive entry (claimed or actual). */
  maxEntryBytes: number;
  /** Largest total uncompressed size of an archive. */
  maxTotalBytes: number;
  /** Most entries an archive may hold. */
  maxEntries: number;
  /** Largest image (width × height) sharp is allowed to decode. */
  maxImagePixels: number;
}

export const DEFAULT_LIMITS: ImportLimits = {
  maxEntryBytes: 512 * 1024 ** 2,
  maxTotalBytes: 8 * 1024 ** 3,
  maxEntries: 2_000_000,
  maxImagePixels: 64 * 1024 * 1024,
};

/** Defaults overridden by whatever the caller passes. */
export function resolveLimits(partial?: Partial<ImportLimits>): ImportLimits {
  return { ...DEFAULT_LIMITS, ...partial };
}
