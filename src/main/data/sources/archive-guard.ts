/**
 * The checks every archive entry passes before a byte of it is written:
 * its path stays inside the extraction folder, it is a plain file, and it
 * keeps within the size caps (claimed and actual).
 */
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { PassThrough, Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { DatasetError, formatBytes } from '../errors';
import type { ImportLimits } from '../limits';
import { IMAGE_EXTENSIONS, looksLikeImage, SIGNATURE_BYTES } from '../decode';
import { isIgnoredName, SkipFile } from './folder';

/** The error refusing `archive` as malicious or damaged; `detail` says why. */
export function refuseArchive(archive: string, detail: string): DatasetError {
  return new DatasetError(`Refusing ${archive}: ${detail}.`, 'The archive may be malicious or damaged. Extract it yourself with a tool you trust, check the files, and import the folder.');
}

/** Error for an entry that would land outside the target (../, absolute paths, drive letters). */
export function escapingEntry(archive: string, name: string): DatasetError {
  return refuseArchive(archive, `entry "${name}" points outside the extraction folder`);
}

/** Error for a symbolic or hard link entry (links could redirect later writes anywhere). */
export function linkEntry(archive: string, name: string): DatasetError {
  return refuseArchive(archive, `entry "${name}" is a link; archives with links are not imported`);
}

/**
 * The absolute path an entry extracts to, or an error when its name is
 * absolute or climbs out of `root`. Returns null for names to ignore silently
 * (folder litter such as __MACOSX/ or .DS_Store).
 */
export function entryTarget(archive: string, root: string, name: string): string | null {
  const normal = name.replace(/\\/g, '/');
  if (normal.startsWith('/') || /^[a-zA-Z]:/.test(normal) || isAbsolute(name)) throw escapingEntry(archive, name);
  const parts = normal.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw escapingEntry(archive, name);
  if (parts.length === 0 || parts.some(isIgnoredName)) return null;
  const target = resolve(root, ...parts);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) throw escapingEntry(archive, name);
  return target;
}

/**
 * Running totals of claimed and actual bytes for one archive, against the per-entry cap, the
 * entry count and, when the caller set one, a total cap (there is none by default: limits.ts).
 */
export class ArchiveBudget {
  private claimed = 0;
  private actual = 0;
  private entries = 0;
  private readonly maxTotal: number;

  constructor(
    private readonly archive: string,
    private readonly limits: ImportLimits,
  ) {
    this.maxTotal = limits.maxTotalBytes ?? Infinity;
  }

  /** Checks an entry's declared size before extracting it. */
  claim(name: string, size: number): void {
    if (++this.entries > this.limits.maxEntries) throw refuseArchive(this.archive, `it holds more than ${this.limits.maxEntries.toLocaleString('en-US')} entries`);
    if (size > this.limits.maxEntryBytes) throw refuseArchive(this.archive, `entry "${name}" would decompress to ${formatBytes(size)}, over the ${formatBytes(this.limits.maxEntryBytes)} per-entry limit`);
    this.claimed += size;
    if (this.claimed > this.maxTotal) throw refuseArchive(this.archive, `its entries would decompress to more than the ${formatBytes(this.maxTotal)} total limit`);
  }

  /** Counts an entry read whole (its size already checked against its claim) towards the total. */
  account(name: string, bytes: number): void {
    if (bytes > this.limits.maxEntryBytes) throw refuseArchive(this.archive, `entry "${name}" decompresses to more than the ${formatBytes(this.limits.maxEntryBytes)} per-entry limit`);
    this.actual += bytes;
    if (this.actual > this.maxTotal) throw refuseArchive(this.archive, `it decompresses to more than the ${formatBytes(this.maxTotal)} total limit`);
  }

  /** A pass-through stream that fails as soon as an entry or the total exceeds the caps in fact. */
  meter(name: string): Transform {
    let entryBytes = 0;
    return new Transform({
      transform: (chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) => {
        entryBytes += chunk.length;
        this.actual += chunk.length;
        if (entryBytes > this.limits.maxEntryBytes) return done(refuseArchive(this.archive, `entry "${name}" decompresses to more than the ${formatBytes(this.limits.maxEntryBytes)} per-entry limit`));
        if (this.actual > this.maxTotal) return done(refuseArchive(this.archive, `it decompresses to more than the ${formatBytes(this.maxTotal)} total limit`));
        done(null, chunk);
      },
    });
  }

  /**
   * Meters a whole decompressed archive stream against the total cap, when one is set. Headers
   * and padding make it larger than its files, hence the generous cap (twice the total).
   */
  meterStream(): Transform {
    let bytes = 0;
    const cap = 2 * this.maxTotal + 1024 * 1024;
    return new Transform({
      transform: (chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) => {
        bytes += chunk.length;
        if (bytes > cap) return done(refuseArchive(this.archive, `it decompresses to more than ${formatBytes(cap)}`));
        done(null, chunk);
      },
    });
  }
}

/** The report's reason for an image-named file whose content is something else. */
export const NOT_IMAGE_CONTENT = 'not an image: its first bytes match no supported image format';

/**
 * For entries named like images: a pass-through stream that rejects the
 * entry as soon as its first bytes show the content is no image, so a
 * hostile "x.png" of 500 MiB zeros is never written out or read into
 * memory. Rejecting means failing with SkipFile (the reader stops: zip), or
 * with `discard` set, swallowing the rest and calling it (a tar entry must
 * still be read to its end to reach the next one). Other entries pass untouched.
 */
export function imageSniffer(name: string, discard?: (reason: SkipFile) => void): Transform {
  if (!IMAGE_EXTENSIONS.has(extname(name).toLowerCase())) return new PassThrough();
  let head: Buffer | null = Buffer.alloc(0);
  let rejected = false;
  /** Decides on the bytes seen; returns what to pass on, or null when rejected. */
  const decide = (seen: Buffer, done: TransformCallback): void => {
    head = null;
    if (looksLikeImage(seen)) return done(null, seen);
    const reason = new SkipFile(NOT_IMAGE_CONTENT);
    if (!discard) return done(reason);
    rejected = true;
    discard(reason);
    done();
  };
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      if (rejected) return done();
      if (head === null) return done(null, chunk);
      const seen: Buffer = Buffer.concat([head, chunk]);
      if (seen.length < SIGNATURE_BYTES) {
        head = seen;
        return done();
      }
      decide(seen, done);
    },
    flush(done: TransformCallback) {
      if (head === null || rejected) return done();
      decide(head, done);
    },
  });
}
