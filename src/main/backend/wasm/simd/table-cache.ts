/**
 * Indirection tables kept on the wasm heap across calls. A table holds byte
 * offsets from its operand's base (−1: the zero row), so it depends on the
 * layer's geometry only: built once, reused by every step. The least
 * recently used tables go when there are more than `limit`; the heap stays
 * flat once a model's geometries have all been seen.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-ops';

/** The most tables kept per backend (a DCGAN step uses a few dozen). */
export const TABLE_LIMIT = 96;

class TableCache {
  private readonly tables = new Map<string, tf.TensorInfo>();

  constructor(private readonly backend: WasmBackendLike) {}

  /** The address of table `key` of `length` int32 entries, filled by `fill(address)` when new. */
  get(key: string, length: number, fill: (address: number) => void): number {
    const found = this.tables.get(key);
    if (found !== undefined) {
      this.tables.delete(key);
      this.tables.set(key, found);
      return this.backend.getMemoryOffset(found.dataId);
    }
    const info = this.backend.makeOutput([Math.max(length, 1)], 'int32');
    const address = this.backend.getMemoryOffset(info.dataId);
    fill(address);
    this.tables.set(key, info);
    if (this.tables.size > TABLE_LIMIT) {
      const [oldest, table] = this.tables.entries().next().value as [string, tf.TensorInfo];
      this.tables.delete(oldest);
      this.backend.disposeData(table.dataId);
    }
    return address;
  }
}

const caches = new WeakMap<object, TableCache>();

/** The table cache of `backend`. */
export function tablesOf(backend: WasmBackendLike): TableCache {
  let cache = caches.get(backend);
  if (cache === undefined) {
    cache = new TableCache(backend);
    caches.set(backend, cache);
  }
  return cache;
}

/** A kept row of `length` zeros (what a tap in the padding reads). */
export function zeroRow(backend: WasmBackendLike, length: number): number {
  return tablesOf(backend).get(`zero:${length}`, length, (address) => new Int32Array(memoryOf(backend), address, Math.max(length, 1)).fill(0));
}

/** A table of `rows` offsets p·rowFloats·4 (contiguous rows). */
export function contiguousRows(backend: WasmBackendLike, rows: number, rowFloats: number): number {
  return tablesOf(backend).get(`rows:${rows}:${rowFloats}`, rows, (address) => {
    const view = new Int32Array(memoryOf(backend), address, rows);
    for (let p = 0; p < rows; p++) view[p] = p * rowFloats * 4;
  });
}

/** The heap's current buffer (take it after the allocation it is used with). */
export function memoryOf(backend: WasmBackendLike): ArrayBufferLike {
  return (backend as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer;
}
