/**
 * The file work a GPU host page asks of the main process, confined to its
 * run folder and dataset folder. The page names them `/run/…` and
 * `/dataset/…` (GPU_HOST_ROOTS); anything else — another root, `..`, a NUL,
 * a symlink that leads out — is refused with EACCES before the disk is
 * touched. In the dataset folder it may only change the score classifier's
 * cache; the images and manifest are read-only to it. Requests run one at a time in arrival order, so posted appends
 * land in the order the trainer wrote them.
 */
import { appendFile, copyFile, mkdir, open, readdir, readFile, realpath, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { GPU_HOST_ROOTS, type GpuHostOp } from '../../shared/gpu-host-protocol';
import { readRecords } from '../data/record-file';
import { JsonlAppender } from '../runs/jsonl-appender';
import { acquireRunLock, type RunLock } from '../runs/run-lock';
import { sha256OfFile } from '../training/file-sha256';
import { encodePng, pngSize, type RawImage } from '../common/png-codec';

/** An error the page sees with its Node code, as a local fs call would throw it. */
export class HostFileError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export interface HostRoots {
  run: string;
  dataset: string;
}

type Access = 'read' | 'write';

/** What the page may change in the dataset folder: the classifier cache (scores/feature-network.ts CLASSIFIER_DIR) and its scratch copies. */
const DATASET_WRITABLE = /^classifier-v\d+(\.tmp-[\w.-]+)?$/;

const text = (value: unknown, what: string): string => {
  if (typeof value !== 'string') throw new HostFileError(`The GPU trainer sent a bad ${what}.`, 'EINVAL');
  return value;
};
const bytesOrText = (value: unknown): string | Uint8Array => {
  if (typeof value === 'string' || value instanceof Uint8Array) return value;
  throw new HostFileError('The GPU trainer sent data that is neither text nor bytes.', 'EINVAL');
};
/** The most bytes one records read may ask for (a batch of 512 images of 512×512×3 is 384 MiB: the page asks per batch). */
const MAX_RECORDS_BYTES = 512 * 1024 * 1024;
const recordsRequest = (offsets: unknown, length: unknown): { offsets: number[]; length: number } => {
  const isOffset = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
  if (!Array.isArray(offsets) || !offsets.every(isOffset) || !Number.isSafeInteger(length) || (length as number) < 1 || offsets.length * (length as number) > MAX_RECORDS_BYTES) {
    throw new HostFileError('The GPU trainer asked for records with bad offsets or length.', 'EINVAL');
  }
  return { offsets, length: length as number };
};
const id = (value: unknown): number => {
  if (!Number.isSafeInteger(value)) throw new HostFileError('The GPU trainer sent a bad handle id.', 'EINVAL');
  return value as number;
};

export class HostFiles {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly handles = new Map<number, FileHandle>();
  private readonly appenders = new Map<number, JsonlAppender>();
  private nextHandle = 1;
  private lock: RunLock | undefined;
  /** A posted request that failed: nobody waits for it, so the page's next call fails with it. */
  private postedFailure: Error | undefined;

  constructor(private readonly roots: HostRoots) {}

  /** Perform a request the page waits for; settles with its value or error. */
  call(op: GpuHostOp, args: unknown[]): Promise<unknown> {
    return this.enqueue(async () => {
      const failure = this.postedFailure;
      this.postedFailure = undefined;
      if (failure) throw failure;
      return this.perform(op, args);
    });
  }

  /** Perform a request nobody waits for (an append); a failure is kept for the next call. */
  post(op: GpuHostOp, args: unknown[]): void {
    void this.enqueue(() => this.perform(op, args)).catch((error: unknown) => {
      this.postedFailure ??= error instanceof Error ? error : new Error(String(error));
    });
  }

  /** Close what the page left open and let go of the run lock (the page ended or died). */
  dispose(): Promise<void> {
    return this.enqueue(async () => {
      for (const appender of this.appenders.values()) appender.close();
      this.appenders.clear();
      await Promise.allSettled([...this.handles.values()].map((handle) => handle.close()));
      this.handles.clear();
      await this.lock?.release();
      this.lock = undefined;
    });
  }

  /** The real path behind a page path, or EACCES. */
  async resolve(pagePath: unknown, access: Access = 'read'): Promise<string> {
    const path = text(pagePath, 'path');
    const [empty, rootName, ...rest] = path.split('/');
    const root = rootName === GPU_HOST_ROOTS.run.slice(1) ? this.roots.run : rootName === GPU_HOST_ROOTS.dataset.slice(1) ? this.roots.dataset : undefined;
    const lexicallyBad = empty !== '' || path.length > 4096 || /[\\\0]/.test(path) || rest.some((part) => part === '' || part === '.' || part === '..');
    if (root === undefined || lexicallyBad) throw refused(path);
    if (access === 'write' && root === this.roots.dataset && !DATASET_WRITABLE.test(rest[0] ?? '')) throw readOnly(path);
    const real = join(root, ...rest);
    let realRoot: string;
    try {
      realRoot = await realpath(root);
    } catch (error) {
      // A run folder not made yet holds nothing, so nothing in it can lead out.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return real;
      throw error;
    }
    // The deepest part that exists must resolve inside the root: a symlink cannot lead out.
    let existing = real;
    for (;;) {
      try {
        const resolved = await realpath(existing);
        if (resolved !== realRoot && !resolved.startsWith(realRoot + sep)) throw refused(path);
        return real;
      } catch (error) {
        if (error instanceof HostFileError || (error as NodeJS.ErrnoException).code !== 'ENOENT' || existing === root) throw error;
        existing = dirname(existing);
      }
    }
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private handle(value: unknown): FileHandle {
    const handle = this.handles.get(id(value));
    if (!handle) throw new HostFileError('The GPU trainer used a file it had closed.', 'EBADF');
    return handle;
  }

  private async perform(op: GpuHostOp, args: unknown[]): Promise<unknown> {
    const [a, b, c, d] = args;
    switch (op) {
      case 'readFile':
        return b === undefined || b === null ? readFile(await this.resolve(a)) : readFile(await this.resolve(a), text(b, 'encoding') as BufferEncoding);
      case 'writeFile':
        return writeFile(await this.resolve(a, 'write'), bytesOrText(b));
      case 'appendFile':
        return appendFile(await this.resolve(a, 'write'), bytesOrText(b));
      case 'copyFile':
        return copyFile(await this.resolve(a), await this.resolve(b, 'write'));
      case 'rename':
        return rename(await this.resolve(a, 'write'), await this.resolve(b, 'write'));
      case 'rm': {
        const options = b as { recursive?: unknown; force?: unknown } | undefined;
        return rm(await this.resolve(a, 'write'), { recursive: options?.recursive === true, force: options?.force === true });
      }
      case 'mkdir':
        await mkdir(await this.resolve(a, 'write'), { recursive: (b as { recursive?: unknown } | undefined)?.recursive === true });
        return undefined;
      case 'stat': {
        const stats = await stat(await this.resolve(a));
        return { size: stats.size, mtimeMs: stats.mtimeMs, file: stats.isFile(), directory: stats.isDirectory() };
      }
      case 'readdir': {
        const entries = await readdir(await this.resolve(a), { withFileTypes: true });
        return entries.map((entry) => ({ name: entry.name, file: entry.isFile(), directory: entry.isDirectory() }));
      }
      case 'handle.open': {
        const flags = text(b, 'open mode');
        const handle = await open(await this.resolve(a, flags === 'r' ? 'read' : 'write'), flags);
        const handleId = this.nextHandle++;
        this.handles.set(handleId, handle);
        return handleId;
      }
      case 'handle.write': {
        const data = bytesOrText(b);
        const position = typeof c === 'number' ? c : null;
        const { bytesWritten } =
          typeof data === 'string' ? await this.handle(a).write(data, position, (d as BufferEncoding | undefined) ?? 'utf8') : await this.handle(a).write(data, 0, data.length, position);
        return { bytesWritten };
      }
      case 'handle.writeFile':
        return this.handle(a).writeFile(bytesOrText(b));
      case 'handle.truncate':
        return this.handle(a).truncate(typeof b === 'number' ? b : 0);
      case 'handle.sync':
        return this.handle(a).sync();
      case 'handle.readRecords': {
        const { offsets, length } = recordsRequest(b, c);
        return readRecords(this.handle(a), offsets, length);
      }
      case 'handle.close': {
        const handle = this.handle(a);
        this.handles.delete(id(a));
        return handle.close();
      }
      case 'appender.open':
        this.appenders.set(id(a), new JsonlAppender(await this.resolve(b, 'write')));
        return undefined;
      case 'appender.write':
        return this.appenders.get(id(a))?.append(b as object);
      case 'appender.close':
        this.appenders.get(id(a))?.close();
        this.appenders.delete(id(a));
        return undefined;
      case 'sha256':
        return sha256OfFile(await this.resolve(a));
      case 'png.encode':
        if (!(a instanceof Uint8Array)) throw new HostFileError('The GPU trainer sent pixels that are not bytes.', 'EINVAL');
        return encodePng({ pixels: a, width: Number(b), height: Number(c), channels: Number(d) as RawImage['channels'] });
      case 'png.size':
        if (!(a instanceof Uint8Array)) throw new HostFileError('The GPU trainer sent a PNG that is not bytes.', 'EINVAL');
        return pngSize(a);
      case 'lock.acquire':
        if (a !== GPU_HOST_ROOTS.run) throw refused(String(a));
        this.lock ??= await acquireRunLock(this.roots.run);
        return undefined;
      case 'lock.release':
        await this.lock?.release();
        this.lock = undefined;
        return undefined;
    }
  }
}

function readOnly(path: string): HostFileError {
  return new HostFileError(`The GPU trainer asked to change ${JSON.stringify(path)}: the dataset is read-only to it (only its score classifier's cache may change).`, 'EACCES');
}

function refused(path: string): HostFileError {
  return new HostFileError(`The GPU trainer asked for ${JSON.stringify(path)}, outside its run and dataset folders: refused.`, 'EACCES');
}
