/**
 * `node:fs/promises` for the trainer modules running in the GPU host page:
 * each call is performed by the main process (main/gpu-host/host-files.ts),
 * on the page's two folders only. Just the functions the trainer uses.
 */
import { Buffer } from 'buffer';
import { call } from '../host-call';

type Data = string | ArrayBufferView;

/** Bytes that cross the port alone (a view's whole ArrayBuffer would be copied with it). */
function portable(data: Data): string | Uint8Array {
  if (typeof data === 'string') return data;
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

function encodingOf(options: unknown): string | undefined {
  if (typeof options === 'string') return options;
  if (options && typeof options === 'object' && 'encoding' in options && typeof options.encoding === 'string') return options.encoding;
  return undefined;
}

interface HostStats {
  size: number;
  mtimeMs: number;
  file: boolean;
  directory: boolean;
}

function toStats(stats: HostStats) {
  return { size: stats.size, mtimeMs: stats.mtimeMs, mtime: new Date(stats.mtimeMs), isFile: () => stats.file, isDirectory: () => stats.directory };
}

export async function readFile(path: string, options?: unknown): Promise<string | Buffer> {
  const encoding = encodingOf(options);
  const value = await call<string | Uint8Array>('readFile', path, encoding);
  return typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

export async function writeFile(path: string, data: Data): Promise<void> {
  await call('writeFile', path, portable(data));
}

export async function appendFile(path: string, data: Data): Promise<void> {
  await call('appendFile', path, portable(data));
}

export async function copyFile(from: string, to: string): Promise<void> {
  await call('copyFile', from, to);
}

export async function rename(from: string, to: string): Promise<void> {
  await call('rename', from, to);
}

export async function rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void> {
  await call('rm', path, { recursive: options?.recursive === true, force: options?.force === true });
}

export function mkdir(path: string, options?: { recursive?: boolean }): Promise<string | undefined> {
  return call('mkdir', path, { recursive: options?.recursive === true });
}

export async function stat(path: string) {
  return toStats(await call<HostStats>('stat', path));
}

export async function readdir(path: string, options?: { withFileTypes?: boolean }): Promise<unknown[]> {
  const entries = await call<{ name: string; file: boolean; directory: boolean }[]>('readdir', path);
  if (!options?.withFileTypes) return entries.map((entry) => entry.name);
  return entries.map((entry) => ({ name: entry.name, isFile: () => entry.file, isDirectory: () => entry.directory }));
}

/** A FileHandle whose file stays open in the main process until `close`. */
export async function open(path: string, flags: string) {
  const id = await call<number>('handle.open', path, flags);
  return {
    write: (data: Data, position?: number, encoding?: string) => call<{ bytesWritten: number }>('handle.write', id, portable(data), position, encoding),
    writeFile: async (data: Data) => void (await call('handle.writeFile', id, portable(data))),
    truncate: async (length?: number) => void (await call('handle.truncate', id, length ?? 0)),
    sync: async () => void (await call('handle.sync', id)),
    close: async () => void (await call('handle.close', id)),
  };
}

export type FileHandle = Awaited<ReturnType<typeof open>>;
