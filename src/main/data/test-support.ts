/**
 * Test helpers that write real dataset files: images via sharp, zip and tar
 * archives byte by byte (so tests can also build hostile ones), CIFAR
 * batches, IDX and NPY files in their documented layouts.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { afterEach, beforeEach, expect } from 'vitest';
import { DatasetError, importDataset } from './index';

/** A fresh temporary folder and a function removing it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'gan-data-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The folders one data test works in: a fresh temporary `root` and `cacheRoot` = <root>/cache. */
export interface TempCache {
  root: string;
  cacheRoot: string;
}

/**
 * Registers beforeEach/afterEach hooks in the calling test file: before each
 * test `onFresh` gets a new TempCache, after it the folder is removed.
 */
export function useTempCache(onFresh: (folders: TempCache) => void): void {
  let cleanup: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    const temp = await tempDir();
    cleanup = temp.cleanup;
    onFresh({ root: temp.dir, cacheRoot: join(temp.dir, 'cache') });
  });
  afterEach(() => cleanup?.());
}

/** Imports `source` into `cacheRoot` expecting a DatasetError, and returns it for checks on its message. */
export async function importError(cacheRoot: string, source: string, options: Parameters<typeof importDataset>[1] = {}): Promise<DatasetError> {
  const error = await importDataset(source, options, { cacheRoot }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

/** Writes `data` to `path`, creating parent folders. */
export async function put(path: string, data: Uint8Array | string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
  return path;
}

export interface ImageSpec {
  width: number;
  height: number;
  /** 1 gray, 3 RGB, 4 RGBA. */
  channels: 1 | 3 | 4;
  /** Fill value per channel. */
  fill: readonly number[];
  format?: 'png' | 'jpeg' | 'webp';
}

/** Encodes a solid-colour image. */
export async function encodeImage(spec: ImageSpec): Promise<Buffer> {
  const { width, height, channels, fill } = spec;
  const raw = Buffer.alloc(width * height * channels);
  for (let i = 0; i < raw.length; i++) raw[i] = fill[i % channels]!;
  let image = sharp(raw, { raw: { width, height, channels } });
  if (channels === 1) image = image.toColourspace('b-w');
  const format = spec.format ?? 'png';
  if (format === 'jpeg') return image.jpeg({ quality: 95 }).toBuffer();
  if (format === 'webp') return image.webp({ lossless: true }).toBuffer();
  return image.png().toBuffer();
}

export interface ZipSpecEntry {
  name: string;
  data?: Uint8Array;
  /** Store or deflate (default deflate). */
  method?: 'store' | 'deflate';
  /** Unix mode put in the external attributes (e.g. 0o120777 for a symlink). */
  mode?: number;
  /** Uncompressed size written to the headers instead of the real one. */
  claimedSize?: number;
  /** `data` already raw-deflated (saves deflating large entries again in every test). */
  deflated?: Buffer;
  /** `data`'s CRC-32, when already known (saves checksumming large entries again). */
  crc?: number;
}

/** Builds a zip archive (local headers, central directory, end record) from entries. */
export function buildZip(entries: ZipSpecEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.from(entry.data ?? new Uint8Array());
    const deflate = (entry.method ?? 'deflate') === 'deflate';
    const body = deflate ? (entry.deflated ?? deflateRawSync(data)) : data;
    const name = Buffer.from(entry.name, 'utf8');
    const crc = entry.crc ?? crc32(data);
    const size = entry.claimedSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode is honoured
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((entry.mode ?? (entry.name.endsWith('/') ? 0o40755 : 0o100644)) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  // Over 65,535 entries the counts live in a zip64 end record (CelebA-sized inputs need it).
  const zip64 = entries.length > 0xffff ? zip64EndRecords(entries.length, centralSize, offset) : [];
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, ...zip64, end]);
}

/** The zip64 end-of-central-directory record and its locator, for `count` entries. */
function zip64EndRecords(count: number, centralSize: number, centralOffset: number): Buffer[] {
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(centralSize), 40);
  record.writeBigUInt64LE(BigInt(centralOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(centralOffset + centralSize), 8);
  locator.writeUInt32LE(1, 16);
  return [record, locator];
}

export interface TarSpecEntry {
  name: string;
  data?: Uint8Array;
  /** '0' file (default), '2' symlink, '1' hard link, '3' character device, '5' directory, '6' FIFO. */
  type?: '0' | '1' | '2' | '3' | '5' | '6';
  linkTarget?: string;
  /** Size written to the header instead of the real one (the data is padded to it). */
  claimedSize?: number;
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, '0') + '\0';
}

/** Builds a ustar archive; gzipped when `gzip` is set. */
export function buildTar(entries: TarSpecEntry[], gzip = false): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.data ?? new Uint8Array());
    const size = entry.claimedSize ?? data.length;
    const header = Buffer.alloc(512);
    header.write(entry.name, 0, 100, 'utf8');
    header.write(octal(0o644, 8), 100, 'ascii');
    header.write(octal(0, 8), 108, 'ascii');
    header.write(octal(0, 8), 116, 'ascii');
    header.write(octal(size, 12), 124, 'ascii');
    header.write(octal(1_700_000_000, 12), 136, 'ascii');
    header.write('        ', 148, 'ascii');
    header.write(entry.type ?? '0', 156, 'ascii');
    header.write(entry.linkTarget ?? '', 157, 100, 'utf8');
    header.write('ustar\0', 257, 'ascii');
    header.write('00', 263, 'ascii');
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(octal(sum, 7) + ' ', 148, 'ascii');
    parts.push(header);
    const padded = Buffer.alloc(Math.ceil(size / 512) * 512);
    data.copy(padded, 0, 0, Math.min(data.length, padded.length));
    parts.push(padded);
  }
  parts.push(Buffer.alloc(1024));
  const tar = Buffer.concat(parts);
  return gzip ? gzipSync(tar) : tar;
}

/** A CIFAR batch: per record the label byte(s) then 32×32 R, G, B planes, each plane filled with `rgb`. */
export function cifarBatch(records: { label: number; coarse?: number; rgb: [number, number, number] }[], variant: 'cifar10' | 'cifar100'): Buffer {
  const labelBytes = variant === 'cifar10' ? 1 : 2;
  const out = Buffer.alloc(records.length * (labelBytes + 3072));
  records.forEach((r, i) => {
    const at = i * (labelBytes + 3072);
    if (variant === 'cifar100') out[at] = r.coarse ?? 0;
    out[at + labelBytes - 1] = r.label;
    for (let c = 0; c < 3; c++) out.fill(r.rgb[c]!, at + labelBytes + c * 1024, at + labelBytes + (c + 1) * 1024);
  });
  return out;
}

/** An IDX file of unsigned bytes with the given dimensions; `data` fills the body. */
export function idxFile(dims: number[], data: Uint8Array, gzip = false): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  const file = Buffer.concat([header, data]);
  return gzip ? gzipSync(file) : file;
}

/** An .npy (format 1.0) file holding `data` with the given dtype and shape. */
export function npyFile(descr: '|u1' | '<f4' | '>f4', shape: number[], data: Uint8Array | Float32Array): Buffer {
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const unpadded = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const header = Buffer.alloc(10);
  Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0]).copy(header);
  header.writeUInt16LE(dict.length, 8);
  let body: Buffer;
  if (data instanceof Float32Array) {
    body = Buffer.alloc(data.length * 4);
    data.forEach((v, i) => (descr === '>f4' ? body.writeFloatBE(v, i * 4) : body.writeFloatLE(v, i * 4)));
  } else {
    body = Buffer.from(data);
  }
  return Buffer.concat([header, Buffer.from(dict, 'latin1'), body]);
}
