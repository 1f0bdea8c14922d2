/**
 * CIFAR-10 and CIFAR-100 "binary version" batches (https://www.cs.toronto.edu/~kriz/cifar.html).
 * A CIFAR-10 record is 1 label byte + 3072 pixel bytes (32×32 red plane,
 * then green, then blue); CIFAR-100 records carry 2 label bytes (coarse,
 * fine) and the fine label is used. All batches in the folder are imported:
 * data_batch_1…5 then test_batch, or train then test.
 */
import { readFile } from 'node:fs/promises';
import { shapeRaw } from '../decode';
import { DatasetError } from '../errors';
import type { ImportJob, ImportOutcome } from '../job';
import { DatasetWriter } from '../writer';
import type { FolderListing, ListedFile } from './folder';
import { forEachRecord } from './records';

const SIDE = 32;
const PIXELS = SIDE * SIDE * 3;

const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

export interface CifarLayout {
  variant: 'cifar10' | 'cifar100';
  batches: ListedFile[];
  namesFile?: ListedFile;
}

/** Recognises a CIFAR binary folder by its file names; null when it is not one. */
export function detectCifar(listing: FolderListing): CifarLayout | null {
  const top = new Map(listing.files.filter((f) => !f.rel.includes('/')).map((f) => [f.rel, f]));
  const batchNumber = (name: string): number => Number(/^data_batch_(\d+)\.bin$/.exec(name)?.[1] ?? NaN);
  const cifar10 = [...top.keys()].filter((n) => Number.isFinite(batchNumber(n))).sort((a, b) => batchNumber(a) - batchNumber(b));
  if (top.has('test_batch.bin')) cifar10.push('test_batch.bin');
  if (cifar10.length > 0) return { variant: 'cifar10', batches: cifar10.map((n) => top.get(n)!), namesFile: top.get('batches.meta.txt') };
  const cifar100 = ['train.bin', 'test.bin'].filter((n) => top.has(n));
  const namesFile = top.get('fine_label_names.txt');
  if (cifar100.length > 0 && (namesFile || top.has('coarse_label_names.txt'))) return { variant: 'cifar100', batches: cifar100.map((n) => top.get(n)!), namesFile };
  return null;
}

async function classNames(layout: CifarLayout): Promise<string[]> {
  const count = layout.variant === 'cifar10' ? 10 : 100;
  if (!layout.namesFile) return layout.variant === 'cifar10' ? CIFAR10_CLASSES : Array.from({ length: count }, (_, i) => String(i));
  const names = (await readFile(layout.namesFile.abs, 'utf8')).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (names.length !== count) {
    throw new DatasetError(`Expected ${count} class names in ${layout.namesFile.rel}, got ${names.length}.`, 'Restore the file from the original CIFAR archive, or move it out of the folder to import with numbered classes.');
  }
  return names;
}

/** Interleaves CIFAR's planar R, G, B planes into HWC order. */
function interleave(planar: Buffer): Uint8Array {
  const out = new Uint8Array(PIXELS);
  const plane = SIDE * SIDE;
  for (let i = 0; i < plane; i++) {
    out[i * 3] = planar[i]!;
    out[i * 3 + 1] = planar[plane + i]!;
    out[i * 3 + 2] = planar[2 * plane + i]!;
  }
  return out;
}

/** Imports every batch of a detected CIFAR folder. */
export async function importCifar(layout: CifarLayout, job: ImportJob): Promise<ImportOutcome> {
  const labelBytes = layout.variant === 'cifar10' ? 1 : 2;
  const recordBytes = labelBytes + PIXELS;
  for (const batch of layout.batches) {
    if (batch.size === 0 || batch.size % recordBytes !== 0) {
      throw new DatasetError(
        `${batch.rel} is not a ${layout.variant === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100'} batch: expected a non-zero multiple of ${recordBytes} bytes (${labelBytes} label byte${labelBytes > 1 ? 's' : ''} + 32×32×3 pixels), got ${batch.size} bytes.`,
        'The file is truncated or not a binary-version batch; download the "binary version" again.',
      );
    }
  }
  const names = await classNames(layout);
  const writer = await DatasetWriter.open(job, { classNames: names, channels: 3 });
  try {
    const total = layout.batches.reduce((sum, b) => sum + b.size / recordBytes, 0);
    let done = 0;
    for (const batch of layout.batches) {
      await forEachRecord(
        batch.abs,
        recordBytes,
        async (record, index) => {
          const label = record[labelBytes - 1]!;
          if (label >= names.length) {
            throw new DatasetError(`${batch.rel} is not a CIFAR batch: record ${index} has label ${label}, expected 0–${names.length - 1}.`, 'Check that the file is a binary-version CIFAR batch of the right variant.');
          }
          if (writer.wants(label)) await writer.add(await shapeRaw(interleave(record.subarray(labelBytes)), SIDE, SIDE, 3, job.options), label);
          if (++done % 1000 === 0) job.progress('decode', done, total);
          return !writer.full;
        },
        { signal: job.signal },
      );
      if (writer.full) break;
    }
    return { kind: layout.variant, result: await writer.finish() };
  } catch (error) {
    await writer.abandon();
    throw error;
  }
}
