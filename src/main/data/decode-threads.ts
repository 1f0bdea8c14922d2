/**
 * Image decoding on worker threads. Most of sharp's cost for a small image
 * is synchronous work on the thread that calls it (it copies the pipeline's
 * options off the JavaScript object), so decoding on the importer's own
 * thread capped a folder or zip of small images at about 1,000 images per
 * CPU-second of that one thread. Here each image is decoded by one of a few
 * threads (decode-worker.ts runs decodeImage), while the importer reads the
 * next entries and writes the results in source order: the cache is the
 * same byte for byte.
 *
 * The threads start with the first image decoded and are shared by imports
 * running at once. They never keep the process alive while idle, and end
 * after IDLE_MS without work. A thread that dies fails the images it held
 * with DecodeThreadError (the import fails: no image is to blame), and the
 * next decode starts fresh threads.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ResolvedImportOptions } from './job';
import { packageRoot } from '../paths';
import type { DecodedImage } from './writer';

/** The options that shape a decoded image (what decodeImage reads). */
export type DecodeShape = Pick<ResolvedImportOptions, 'size' | 'fit' | 'background'>;

/** Main thread → decode thread. */
export interface DecodeRequest {
  id: number;
  /** The encoded bytes, or the path of the file. */
  input: Uint8Array | string;
  shape: DecodeShape;
  maxPixels: number;
}

/** Decode thread → main thread: the pixels, or the decoder's error message. */
export type DecodeReply = { id: number; image: DecodedImage } | { id: number; error: string };

/** A decode thread stopped or could not start: the import fails (no image is to blame). */
export class DecodeThreadError extends Error {
  override readonly name = 'DecodeThreadError';
}

/** Most threads started, whatever the core count (each holds its own V8 heap). */
const MAX_THREADS = 4;
/** Idle threads end after this long without work. */
const IDLE_MS = 30_000;

/** Threads to decode with: one per core, at most MAX_THREADS. */
export function decodeThreadCount(cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(cores, MAX_THREADS));
}

/**
 * The worker's entry: decode-worker.ts registered with tsx when running from source (tsx,
 * Vitest), decode-worker.js beside the build (electron-vite's out/main, the portable bundle).
 */
function startWorker(): Worker {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    // A worker does not inherit tsx's hooks: register them in it, then load the entry.
    const require = createRequire(import.meta.url);
    const tsxApi = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
    const entry = pathToFileURL(join(dirname(here), 'decode-worker.ts')).href;
    const boot = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(boot, { eval: true, execArgv: [] });
  }
  const candidates = [join(dirname(here), 'decode-worker.js'), join(dirname(here), '..', 'decode-worker.js'), join(packageRoot(), 'out', 'main', 'decode-worker.js')];
  const script = candidates.find((candidate) => existsSync(candidate));
  if (!script) throw new DecodeThreadError(`Cannot find the built decode thread (looked for ${candidates.join(', ')}). Run "npm run build" first.`);
  return new Worker(script, { execArgv: [] });
}

interface Waiting {
  resolve(image: DecodedImage): void;
  reject(error: Error): void;
}

/** One worker and the images it was sent. */
class DecodeThread {
  private readonly waiting = new Map<number, Waiting>();
  private failure: DecodeThreadError | undefined;

  constructor(
    private readonly worker: Worker,
    private readonly onIdle: () => void,
  ) {
    worker.on('message', (reply: DecodeReply) => this.settle(reply));
    worker.on('error', (error) => this.fail(`a decode thread failed: ${error.message}`));
    worker.on('exit', (code) => this.fail(`a decode thread exited (code ${code})`));
    worker.unref();
  }

  /** Images sent and not yet back. */
  get load(): number {
    return this.waiting.size;
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  decode(request: DecodeRequest): Promise<DecodedImage> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      // A thread with work keeps the process alive until the work is back.
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(request.id, { resolve, reject });
      // The bytes travel alone: a view's whole underlying buffer would be copied (or moved) otherwise.
      const input = typeof request.input === 'string' ? request.input : new Uint8Array(request.input);
      this.worker.postMessage({ ...request, input }, typeof input === 'string' ? [] : [input.buffer]);
    });
  }

  terminate(): Promise<number> {
    this.failure ??= new DecodeThreadError('the decode threads were stopped');
    return this.worker.terminate();
  }

  private settle(reply: DecodeReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if ('error' in reply) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply.image);
    this.whenEmpty();
  }

  private fail(reason: string): void {
    this.failure ??= new DecodeThreadError(reason);
    for (const waiting of this.waiting.values()) waiting.reject(this.failure);
    this.waiting.clear();
    this.whenEmpty();
  }

  private whenEmpty(): void {
    if (this.waiting.size > 0) return;
    this.worker.unref();
    this.onIdle();
  }
}

/** The shared threads, started on first use. */
class DecodePool {
  private readonly threads: DecodeThread[];
  private nextId = 0;
  private readonly idleTimer: NodeJS.Timeout;

  constructor(count: number) {
    // Checked when it fires: images sent since the last idle moment keep the threads.
    this.idleTimer = setTimeout(() => this.busy || void stopDecodeThreads(this), IDLE_MS).unref();
    this.threads = Array.from({ length: count }, () => new DecodeThread(startWorker(), () => this.noteIdle()));
  }

  get failed(): boolean {
    return this.threads.some((thread) => thread.failed);
  }

  private get busy(): boolean {
    return this.threads.some((thread) => thread.load > 0);
  }

  /** Sends the image to the thread with the least work waiting. */
  decode(input: Uint8Array | string, shape: DecodeShape, maxPixels: number): Promise<DecodedImage> {
    const thread = this.threads.reduce((a, b) => (b.load < a.load ? b : a));
    const { size, fit, background } = shape;
    return thread.decode({ id: this.nextId++, input, shape: { size, fit, background }, maxPixels });
  }

  async terminate(): Promise<void> {
    clearTimeout(this.idleTimer);
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }

  /** Counts IDLE_MS from now (refresh re-arms a timer that already fired). */
  private noteIdle(): void {
    if (!this.busy) this.idleTimer.refresh();
  }
}

let shared: DecodePool | undefined;

/**
 * Decodes an image (decodeImage's contract: bytes or a file path; sharp's errors reject as
 * Error with sharp's message) on a decode thread. Rejects with DecodeThreadError when a thread dies.
 */
export async function decodeOnThread(input: Uint8Array | string, shape: DecodeShape, maxPixels: number): Promise<DecodedImage> {
  if (!shared || shared.failed) {
    void shared?.terminate();
    shared = new DecodePool(decodeThreadCount());
  }
  return shared.decode(input, shape, maxPixels);
}

/** Ends the decode threads (those of `only`, when given, if they are still the shared ones); the next decode starts new ones. */
export async function stopDecodeThreads(only?: DecodePool): Promise<void> {
  const pool = shared;
  if (!pool || (only && only !== pool)) return;
  shared = undefined;
  await pool.terminate();
}
