/**
 * Small float32 tensors by name on disk (the objective's state in a
 * checkpoint, e.g. spectral norm's u vectors): `<name>.json` lists each
 * tensor's name, shape and byte offset; `<name>.bin` holds the raw
 * little-endian float32 values.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

interface Entry {
  name: string;
  shape: number[];
  offset: number;
}

/** Write `tensors` as `dir/<file>.json` + `dir/<file>.bin`. */
export async function saveNamedTensors(dir: string, file: string, tensors: NamedTensor[]): Promise<void> {
  const entries: Entry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const { name, tensor } of tensors) {
    const values = Float32Array.from(await tensor.data());
    entries.push({ name, shape: tensor.shape, offset });
    chunks.push(new Uint8Array(values.buffer));
    offset += values.byteLength;
  }
  await writeFile(join(dir, `${file}.bin`), Buffer.concat(chunks));
  await writeFile(join(dir, `${file}.json`), JSON.stringify({ version: 1, tensors: entries }));
}

/** Read tensors written by saveNamedTensors (the caller disposes them). */
export async function loadNamedTensors(dir: string, file: string): Promise<NamedTensor[]> {
  const jsonFile = join(dir, `${file}.json`);
  const { tensors } = JSON.parse(await readFile(jsonFile, 'utf8')) as { tensors: Entry[] };
  const data = await readFile(join(dir, `${file}.bin`));
  return tensors.map((entry) => {
    const size = entry.shape.reduce((product, dim) => product * dim, 1);
    const bytes = data.subarray(entry.offset, entry.offset + size * 4);
    if (bytes.byteLength !== size * 4) throw new Error(`${jsonFile}: the .bin file is truncated at ${entry.name}.`);
    const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return { name: entry.name, tensor: tf.tensor(new Float32Array(copy), entry.shape) };
  });
}
