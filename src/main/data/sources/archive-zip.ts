/**
 * Zip archives with yauzl. yauzl already rejects absolute and ../ names and
 * checks that each entry inflates to exactly its declared size; on top of
 * that every entry passes the archive guard (path, link, size caps) when the
 * central directory is listed, before a byte of data is read.
 *
 * Two ways in: `extractZip` unpacks the files into a scratch folder (for
 * array datasets such as CIFAR and IDX, read as files); `zipInPlace` lists
 * the entries as files read straight from the archive on demand, which is
 * how image archives are imported (no per-entry file writes: a zip of 100k
 * small PNGs spent more time extracting than decoding).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { constants as zlibConstants, crc32, inflateRaw, inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { IMAGE_EXTENSIONS, looksLikeImage, SIGNATURE_BYTES } from '../decode';
import { isDiskFull } from '../disk-budget';
import type { DiskBudget } from '../disk-budget';
import { DatasetError, formatBytes } from '../errors';
import { DEFLATE_MAX_RATIO } from '../limits';
import type { ImportLimits } from '../limits';
import { ArchiveBudget, entryTarget, escapingEntry, imageSniffer, linkEntry, NOT_IMAGE_CONTENT, refuseArchive } from './archive-guard';
import { SkipFile } from './folder';
import type { FolderListing, UnreadEntry } from './folder';

const inflateRawAsync = promisify(inflateRaw);

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Entries up to this size are read into memory when decoded in place; larger ones go through a scratch file. */
const IN_MEMORY_BYTES = 16 * 1024 * 1024;
/** Entries up to this compressed size are read with one direct read (readSmall) rather than through yauzl's streams. */
const DIRECT_READ_BYTES = 1024 * 1024;
/** Image-named entries larger than this are judged by a separate read of their first bytes before being read whole. */
const SNIFF_APART_BYTES = 256 * 1024;

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (error, zip) => {
      if (error || !zip) reject(error ?? new Error('no zip file'));
      else resolve(zip);
    });
  });
}

/** yauzl 3 also takes decodeFileData (raw entry bytes), which its types lack. */
function openEntry(zip: ZipFile, entry: Entry, options: Partial<yauzl.ZipFileOptions> & { decodeFileData?: boolean } = {}): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, options as yauzl.ZipFileOptions, (error, stream) => {
      if (error || !stream) reject(error ?? new Error('no entry stream'));
      else resolve(stream);
    });
  });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function sizeMismatch(detail: string, archive: string): DatasetError {
  return new DatasetError(`Refusing ${archive}: an entry's data does not match its declared size (${detail}).`, 'The archive is damaged or crafted; re-create it from the original files.');
}

/** Turns yauzl's errors into user-facing ones. */
function explain(archive: string, error: unknown): unknown {
  // A full disk is the disk's fault, not the archive's: import.ts says so.
  if (error instanceof DatasetError || error instanceof SkipFile || isDiskFull(error) || (error instanceof Error && error.name === 'AbortError')) return error;
  const message = error instanceof Error ? error.message : String(error);
  const badName = /^(?:absolute path|invalid relative path|invalid characters in fileName): (.*)$/.exec(message);
  if (badName) return escapingEntry(archive, badName[1]!);
  if (/too many bytes|too few bytes|uncompressed size/i.test(message)) return sizeMismatch(message, archive);
  return new DatasetError(`${archive} is not a readable zip archive (${message}).`, 'Check that the file is a complete .zip; re-download or re-create it.');
}

interface ZipFileEntry {
  /** Path inside the archive, normalised, '/'-separated. */
  rel: string;
  entry: Entry;
}

/**
 * Refuses a deflated entry claiming more than DEFLATE_MAX_RATIO times its compressed size (yauzl
 * would find the lie while inflating; this finds it before a byte is read, as yauzl itself does
 * for stored entries, which must be their own size).
 */
function checkExpansion(archive: string, entry: Entry): void {
  const { uncompressedSize: size, compressedSize: packed } = entry;
  if (entry.compressionMethod === 8 && size > packed * DEFLATE_MAX_RATIO + 1024) {
    throw refuseArchive(archive, `entry "${entry.fileName}" claims to decompress to ${formatBytes(size)} from ${formatBytes(packed)}, more than deflate can give`);
  }
}

/**
 * Refuses entries whose data overlap: each entry's local header and data must end before the
 * next entry's begins. Sharing one compressed stream among many entries is how zip bombs
 * inflate to millions of times their size; honest zips never do it.
 */
function checkNoOverlap(archive: string, entries: Entry[]): void {
  const byOffset = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
  for (let i = 1; i < byOffset.length; i++) {
    const [before, after] = [byOffset[i - 1]!, byOffset[i]!];
    // Local header (30 bytes and the name; its extra field may differ, so it is left out: the end is a lower bound).
    const end = before.relativeOffsetOfLocalHeader + 30 + before.fileNameLength + before.compressedSize;
    if (after.relativeOffsetOfLocalHeader < end) {
      throw refuseArchive(archive, `entries "${before.fileName}" and "${after.fileName}" share their compressed data, the trick of zip bombs`);
    }
  }
}

/** An open zip with its file entries, checked against the guard; close() when done. */
class CheckedZip {
  /**
   * The file for readSmall's direct reads, opened by the first. Kept as the promise: entries
   * are read several at once, and each opening its own handle (the first ones all found none
   * yet) left all but the last to be closed by the garbage collector.
   */
  private handle: Promise<FileHandle> | undefined;

  private constructor(
    readonly path: string,
    readonly archive: string,
    readonly zip: ZipFile,
    readonly files: ZipFileEntry[],
    readonly budget: ArchiveBudget,
  ) {}

  /** Opens the zip at `path` and checks every entry of its central directory. */
  static async open(path: string, limits: ImportLimits, signal?: AbortSignal): Promise<CheckedZip> {
    const archive = basename(path);
    let zip: ZipFile;
    try {
      zip = await openZip(path);
    } catch (error) {
      throw explain(archive, error);
    }
    const budget = new ArchiveBudget(archive, limits);
    const files: ZipFileEntry[] = [];
    /** Every entry with data, for the overlap check. */
    const spans: Entry[] = [];
    // Names are resolved against a stand-in root only to check where they would land.
    const root = resolve(sep, 'zip-root');
    try {
      await new Promise<void>((done, fail) => {
        zip.on('error', (error) => fail(explain(archive, error)));
        zip.on('end', () => done());
        zip.on('entry', (entry: Entry) => {
          try {
            signal?.throwIfAborted();
            const name = entry.fileName;
            if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) throw linkEntry(archive, name);
            const target = entryTarget(archive, root, name);
            if (!name.endsWith('/')) {
              checkExpansion(archive, entry);
              spans.push(entry);
            }
            if (!name.endsWith('/') && target !== null) {
              if (entry.isEncrypted()) throw new DatasetError(`${archive} is encrypted (entry "${name}").`, 'Extract it with the password yourself and import the folder.');
              budget.claim(name, entry.uncompressedSize);
              files.push({ rel: relative(root, target).split(sep).join('/'), entry });
            }
            zip.readEntry();
          } catch (error) {
            fail(error);
          }
        });
        zip.readEntry();
      });
      checkNoOverlap(archive, spans);
    } catch (error) {
      zip.close();
      throw error;
    }
    return new CheckedZip(path, archive, zip, files, budget);
  }

  /**
   * Copies the entry's data, metered against the caps, into the stream `makeSink` makes. Throws SkipFile when the
   * entry is named like an image but does not start like one. A yauzl stream destroyed while
   * a read is pending crashes its reader, so entries are never cut short: large ones are judged
   * from a separate read of their first bytes, small ones are read to the end and discarded.
   */
  async copy(file: ZipFileEntry, makeSink: () => NodeJS.WritableStream, signal?: AbortSignal): Promise<void> {
    await this.checkHead(file);
    let rejected: SkipFile | undefined;
    try {
      const sniffer = imageSniffer(file.rel, (reason) => (rejected = reason));
      // The sink (a file) is made only once it will be written, as the pipeline that closes it starts.
      await pipeline(await openEntry(this.zip, file.entry), this.budget.meter(file.rel), sniffer, makeSink(), { signal });
    } catch (error) {
      throw explain(this.archive, error);
    }
    if (rejected) throw rejected;
  }

  /** Throws SkipFile for a large entry named like an image whose first bytes are no image's (judged from a short raw read). */
  async checkHead(file: ZipFileEntry): Promise<void> {
    const imageNamed = IMAGE_EXTENSIONS.has(extname(file.rel).toLowerCase());
    if (imageNamed && file.entry.uncompressedSize > SNIFF_APART_BYTES && !looksLikeImage(await this.head(file.entry))) {
      throw new SkipFile(NOT_IMAGE_CONTENT);
    }
  }

  /** About the first SIGNATURE_BYTES of an entry's content, from a short read of its raw data. */
  private async head(entry: Entry): Promise<Buffer> {
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) return Buffer.alloc(0);
    for (const rawBytes of [256, 4096]) {
      const end = Math.min(entry.compressedSize, rawBytes);
      const raw = await readAll(await openEntry(this.zip, entry, { decodeFileData: false, start: 0, end }));
      // A deflate stream cut short still yields the bytes it encodes so far.
      const head = entry.compressionMethod === 0 ? raw : inflateRawSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 16 * 1024 * 1024 });
      if (head.length >= SIGNATURE_BYTES || end === entry.compressedSize) return head;
    }
    return Buffer.alloc(0);
  }

  /**
   * A small entry's content by one read of its local header and data, inflated and checked
   * (size and CRC-32) here: yauzl reads one entry at a time per file through two streams, which
   * made a zip of 100k tiny PNGs I/O-bound. Returns null for what only yauzl handles
   * (other compression methods, encryption); SkipFile when an image-named entry is no image.
   */
  async readSmall(file: ZipFileEntry): Promise<Buffer | null> {
    const { entry } = file;
    if ((entry.compressionMethod !== 0 && entry.compressionMethod !== 8) || entry.isEncrypted()) return null;
    this.handle ??= open(this.path, 'r');
    const handle = await this.handle;
    // The local header repeats the name and may carry a different extra field: read some slack.
    const slack = 30 + entry.fileNameLength + entry.extraFieldLength + 1024;
    const block = Buffer.alloc(slack + entry.compressedSize);
    const { bytesRead } = await handle.read(block, 0, block.length, entry.relativeOffsetOfLocalHeader);
    const damaged = (detail: string): DatasetError =>
      new DatasetError(`Refusing ${this.archive}: entry "${file.rel}" ${detail}.`, 'The archive is damaged or crafted; re-create it from the original files.');
    if (bytesRead < 30 || block.readUInt32LE(0) !== 0x04034b50) throw damaged('has no valid local header');
    const start = 30 + block.readUInt16LE(26) + block.readUInt16LE(28);
    if (start + entry.compressedSize > bytesRead) throw damaged('is cut short');
    const raw = block.subarray(start, start + entry.compressedSize);
    this.budget.account(file.rel, entry.uncompressedSize);
    let data: Buffer;
    try {
      data = entry.compressionMethod === 0 ? raw : await inflateRawAsync(raw, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    } catch (error) {
      throw sizeMismatch(`entry "${file.rel}" does not inflate to its declared ${entry.uncompressedSize} bytes: ${(error as Error).message}`, this.archive);
    }
    if (data.length !== entry.uncompressedSize) throw sizeMismatch(`entry "${file.rel}" inflates to ${data.length} bytes, not the declared ${entry.uncompressedSize}`, this.archive);
    if (crc32(data) !== entry.crc32) throw damaged('fails its CRC-32 check');
    if (IMAGE_EXTENSIONS.has(extname(file.rel).toLowerCase()) && !looksLikeImage(data)) throw new SkipFile(NOT_IMAGE_CONTENT);
    return data;
  }

  /** Closes the archive (yauzl's descriptor and readSmall's). */
  async close(): Promise<void> {
    this.zip.close();
    const handle = this.handle;
    this.handle = undefined;
    // A failed open left nothing to close.
    await handle?.then((file) => file.close(), () => undefined);
  }
}

/**
 * Extracts every file entry of the zip at `path` into `dest`; `onEntry` counts entries for
 * progress. Returns the entries left out that the report should name (image-named entries
 * whose content is not an image are not written).
 */
export async function extractZip(path: string, dest: string, limits: ImportLimits, disk: DiskBudget, signal?: AbortSignal, onEntry?: (done: number, total: number) => void): Promise<UnreadEntry[]> {
  const checked = await CheckedZip.open(path, limits, signal);
  const unread: UnreadEntry[] = [];
  try {
    disk.take(checked.files.reduce((sum, file) => sum + file.entry.uncompressedSize, 0));
    for (const [index, file] of checked.files.entries()) {
      signal?.throwIfAborted();
      const target = join(dest, ...file.rel.split('/'));
      await mkdir(dirname(target), { recursive: true });
      try {
        await checked.copy(file, () => createWriteStream(target), signal);
      } catch (error) {
        if (!(error instanceof SkipFile)) throw error;
        await rm(target, { force: true });
        unread.push({ rel: file.rel, reason: error.message });
      }
      onEntry?.(index + 1, checked.files.length);
    }
  } finally {
    await checked.close();
  }
  return unread;
}

/** Names of files only an array importer (CIFAR, IDX) reads: such archives are extracted. */
const ARRAY_FILE = /(\.bin|idx\d-ubyte(\.gz)?)$/i;

/**
 * Lists the zip at `path` as files read in place. Returns null when the archive holds array
 * data (extract it instead). `scratch` receives copies of entries too large to hold in memory.
 */
export async function zipInPlace(path: string, limits: ImportLimits, scratch: { dir: string; disk: DiskBudget }, signal?: AbortSignal): Promise<{ listing: FolderListing; close(): Promise<void> } | null> {
  const checked = await CheckedZip.open(path, limits, signal);
  if (checked.files.some((f) => ARRAY_FILE.test(f.rel))) {
    await checked.close();
    return null;
  }
  const sorted = [...checked.files].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const files = sorted.map((file, index) => ({
    rel: file.rel,
    abs: path,
    size: file.entry.uncompressedSize,
    mtimeMs: 0,
    read: () => readEntry(checked, file, { path: join(scratch.dir, String(index)), disk: scratch.disk }, signal),
  }));
  return { listing: { files, others: [] }, close: () => checked.close() };
}

/** An entry's bytes (small entries) or a scratch copy's path; SkipFile when it does not start like an image. */
async function readEntry(checked: CheckedZip, file: ZipFileEntry, scratch: { path: string; disk: DiskBudget }, signal?: AbortSignal): Promise<Uint8Array | string> {
  if (file.entry.uncompressedSize > IN_MEMORY_BYTES) {
    // Disk space is counted only for what will be written: not for an entry that is no image.
    await checked.checkHead(file);
    scratch.disk.take(file.entry.uncompressedSize);
    await checked.copy(file, () => createWriteStream(scratch.path), signal);
    return scratch.path;
  }
  if (file.entry.compressedSize <= DIRECT_READ_BYTES) {
    const data = await checked.readSmall(file);
    if (data) return data;
  }
  const chunks: Buffer[] = [];
  const collect = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      chunks.push(chunk);
      done();
    },
  });
  await checked.copy(file, () => collect, signal);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
