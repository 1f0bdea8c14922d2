/**
 * NumPy .npy arrays (format versions 1–3, C order). Accepted:
 * - dtype uint8 ('|u1'): pixel values as they are;
 * - dtype float32 ('<f4' or '>f4'): the whole array's range decides the
 *   mapping — within [0, 1] → ×255; else within [-1, 1] → (v + 1) × 127.5;
 *   else within [0, 255] → as is; anything else (or NaN/Inf) is refused.
 *   Values are rounded to the nearest integer.
 * - shape (N, H, W) → gray, or (N, H, W, C) with C = 1 or 3 (NHWC).
 * NPY files carry no labels: the dataset is unlabelled.
 */
import { basename } from 'node:path';
import { open } from 'node:fs/promises';
import { shapeRaw } from '../decode';
import { DatasetError } from '../errors';
import type { ImportJob, ImportOutcome } from '../job';
import { DatasetWriter } from '../writer';
import { forEachRecord } from './records';

const MAGIC = Buffer.from([0x93, ...Buffer.from('NUMPY')]);

interface NpyHeader {
  dtype: 'u1' | 'f4';
  littleEndian: boolean;
  count: number;
  height: number;
  width: number;
  channels: 1 | 3;
  dataOffset: number;
}

function headerError(name: string, detail: string): DatasetError {
  return new DatasetError(`${name} is not a usable .npy array: ${detail}.`, 'Save the images with numpy.save as uint8 or float32 in NHWC (or NHW) order, e.g. np.save("x.npy", images.astype("uint8")).');
}

/** Reads and checks the header, including that the file length matches the shape. */
export async function readNpyHeader(path: string): Promise<NpyHeader> {
  const name = basename(path);
  const file = await open(path, 'r');
  let head: Buffer;
  let fileSize: number;
  try {
    fileSize = (await file.stat()).size;
    head = Buffer.alloc(Math.min(fileSize, 64 * 1024));
    await file.read(head, 0, head.length, 0);
  } finally {
    await file.close();
  }
  if (head.length < 10 || !head.subarray(0, 6).equals(MAGIC)) {
    throw headerError(name, `expected the magic string \\x93NUMPY, got ${JSON.stringify(head.subarray(0, 6).toString('latin1'))}`);
  }
  const major = head[6]!;
  if (major < 1 || major > 3) throw headerError(name, `expected format version 1–3, got ${major}`);
  const lengthBytes = major === 1 ? 2 : 4;
  const headerLength = major === 1 ? head.readUInt16LE(8) : head.readUInt32LE(8);
  const dataOffset = 8 + lengthBytes + headerLength;
  if (dataOffset > head.length) throw headerError(name, 'the header is truncated or implausibly long');
  const dict = head.subarray(8 + lengthBytes, dataOffset).toString('utf8');

  const descr = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(dict)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(dict)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(dict)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw headerError(name, `cannot parse the header ${JSON.stringify(dict.trim())}`);
  const dtypeMatch = /^([<>|=]?)(u1|f4)$/.exec(descr);
  if (!dtypeMatch) throw headerError(name, `expected dtype uint8 or float32, got '${descr}'`);
  if (fortran === 'True') throw headerError(name, 'expected C order, got Fortran order');
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 1)) throw headerError(name, `expected positive dimensions, got (${shapeText})`);
  const [count, height, width, channels = 1] = shape as [number, number, number, number?];
  if ((shape.length !== 3 && shape.length !== 4) || (channels !== 1 && channels !== 3)) {
    throw headerError(name, `expected shape (N, H, W) or (N, H, W, C) with C = 1 or 3, got (${shape.join(', ')})`);
  }
  const dtype = dtypeMatch[2] as 'u1' | 'f4';
  const itemBytes = dtype === 'u1' ? 1 : 4;
  const expected = dataOffset + count * height * width * channels * itemBytes;
  if (fileSize !== expected) {
    throw new DatasetError(`${name} has the wrong length: shape (${shape.join(', ')}) of ${dtype === 'u1' ? 'uint8' : 'float32'} needs ${expected} bytes, got ${fileSize}.`, 'The file is truncated or its header does not match its data; save it again with numpy.save.');
  }
  return { dtype, littleEndian: dtypeMatch[1] !== '>', count, height, width, channels, dataOffset };
}

type FloatMapping = (v: number) => number;

/** Scans a float32 array once to pick the value mapping documented above. */
async function floatMapping(path: string, header: NpyHeader, signal?: AbortSignal): Promise<FloatMapping> {
  let min = Infinity;
  let max = -Infinity;
  const values = header.height * header.width * header.channels;
  await forEachRecord(
    path,
    values * 4,
    async (record) => {
      for (let i = 0; i < values; i++) {
        const v = header.littleEndian ? record.readFloatLE(i * 4) : record.readFloatBE(i * 4);
        if (!Number.isFinite(v)) throw new DatasetError(`${basename(path)} contains NaN or infinite values.`, 'Replace them (e.g. np.nan_to_num) and save again.');
        if (v < min) min = v;
        if (v > max) max = v;
      }
    },
    { offset: header.dataOffset, signal },
  );
  if (min >= 0 && max <= 1) return (v) => v * 255;
  if (min >= -1 && max <= 1) return (v) => (v + 1) * 127.5;
  if (min >= 0 && max <= 255) return (v) => v;
  throw new DatasetError(`${basename(path)} holds float values from ${min} to ${max}; expected them within [0, 1], [-1, 1] or [0, 255].`, 'Rescale the array into one of those ranges before saving.');
}

/** Imports an .npy image array. */
export async function importNpy(path: string, job: ImportJob): Promise<ImportOutcome> {
  const header = await readNpyHeader(path);
  const { count, height, width, channels } = header;
  if (height * width > job.limits.maxImagePixels) {
    throw headerError(basename(path), `its images are ${width}×${height} pixels, over the ${job.limits.maxImagePixels.toLocaleString('en-US')}-pixel limit per image`);
  }
  const values = height * width * channels;
  const mapping = header.dtype === 'f4' ? await floatMapping(path, header, job.signal) : undefined;
  const writer = await DatasetWriter.open(job, { classNames: null, channels });
  try {
    await forEachRecord(
      path,
      values * (header.dtype === 'u1' ? 1 : 4),
      async (record, index) => {
        let pixels: Uint8Array;
        if (mapping) {
          pixels = new Uint8Array(values);
          for (let i = 0; i < values; i++) {
            const v = header.littleEndian ? record.readFloatLE(i * 4) : record.readFloatBE(i * 4);
            pixels[i] = Math.min(255, Math.max(0, Math.round(mapping(v))));
          }
        } else {
          pixels = new Uint8Array(record);
        }
        await writer.add(await shapeRaw(pixels, width, height, channels, job.options));
        if ((index + 1) % 1000 === 0) job.progress('decode', index + 1, count);
        return !writer.full;
      },
      { offset: header.dataOffset, signal: job.signal },
    );
    return { kind: 'npy', result: await writer.finish() };
  } catch (error) {
    await writer.abandon();
    throw error;
  }
}
