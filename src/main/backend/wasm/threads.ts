/**
 * Multi-threaded XNNPACK for the wasm backend in Node.
 *
 * tfjs ships a threaded SIMD build but turns it off in Node (tfjs#3830). Three
 * shims turn it on: the WASM_HAS_MULTITHREAD_SUPPORT flag; a worker_threads
 * Worker that starts tfjs's blob: worker script through PTHREAD_BOOTSTRAP; and,
 * while the module initialises, a core count doubled for tfjs, which caps its
 * pool at half the logical cores (it assumes hyper-threading).
 */
import * as tf from '@tensorflow/tfjs';
import type * as TfjsBackendWasm from '@tensorflow/tfjs-backend-wasm';
import { resolveObjectURL } from 'node:buffer';
import os from 'node:os';
import workerThreads from 'node:worker_threads';
import { PTHREAD_BOOTSTRAP } from './pthread-bootstrap';

/** tfjs pre-creates 8 pthread workers and never uses more. */
export const MAX_WASM_THREADS = 8;

/**
 * Threads to train with: GAN_STUDIO_WASM_THREADS when set to a whole number ≥ 1,
 * else every core (the trainer's own thread is one of them), at most 8.
 * @throws Error for a value that is not a whole number ≥ 1.
 */
export function wasmThreadCount(env: NodeJS.ProcessEnv = process.env, cores = os.availableParallelism()): number {
  const raw = env['GAN_STUDIO_WASM_THREADS']?.trim();
  if (raw === undefined || raw === '') return Math.min(Math.max(cores, 1), MAX_WASM_THREADS);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`GAN_STUDIO_WASM_THREADS must be a whole number ≥ 1, got "${raw}"`);
  }
  return Math.min(value, MAX_WASM_THREADS);
}

/**
 * worker_threads' Worker class able to start from a blob: URL made in this
 * thread (anything else starts as usual). XNNPACK's pool threads wait forever,
 * so they must never keep the process alive. Until the start succeeds a pool
 * worker's error fails it (Emscripten would rethrow it and kill the process);
 * after that, Emscripten's own handling applies.
 */
function pthreadWorkerClass(bootstrap: string, startInFlight: () => ((err: unknown) => void) | undefined): typeof workerThreads.Worker {
  return class PthreadWorker extends workerThreads.Worker {
    private readonly pthread: boolean;

    constructor(file: string | URL, options: workerThreads.WorkerOptions = {}) {
      const script = typeof file === 'string' && file.startsWith('blob:') ? resolveObjectURL(file) : undefined;
      if (script === undefined) super(file, options);
      // No inherited flags: --input-type=module would make the bootstrap an ES module.
      else super(bootstrap, { ...options, eval: true, execArgv: [], workerData: { script } });
      this.pthread = script !== undefined;
      if (!this.pthread) return;
      this.unref();
      // From birth: a worker that fails before Emscripten listens would otherwise throw unhandled.
      super.on('error', (err: unknown) => startInFlight()?.(err));
    }

    override ref(): void {
      if (!this.pthread) super.ref();
    }

    override on(...[event, listener]: Parameters<workerThreads.Worker['on']>): this {
      if (!this.pthread || event !== 'error') return super.on(event, listener);
      return super.on('error', (err: unknown) => {
        if (startInFlight() === undefined) listener(err);
      });
    }
  };
}

/** How the wasm backend came up. */
export interface WasmStart {
  threads: number;
  /** Why the threaded start failed, when it fell back to one thread. */
  threadsFailed?: string;
}

/** A threaded start that neither succeeds nor fails (a worker that never loads) is given up after this. */
export const THREADED_START_TIMEOUT_MS = 30_000;

type TfjsWasm = typeof TfjsBackendWasm;

/** The process's one start of the wasm module (tfjs cannot restart it with other threads). */
let started: Promise<WasmStart> | undefined;

async function setWasmBackend(wasm: TfjsWasm, threads: number): Promise<void> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
  wasm.setThreadsCount(threads);
  if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend returned false');
}

async function startThreaded(wasm: TfjsWasm, threads: number, options: Required<WasmStartOptions>): Promise<void> {
  let failStart: ((err: unknown) => void) | undefined;
  const failed = new Promise<never>((_, reject) => {
    failStart = (err) => reject(err instanceof Error ? err : new Error(String(err)));
  });
  const timer = setTimeout(() => failStart?.(new Error(`no answer within ${options.timeoutMs / 1000} s`)), options.timeoutMs);
  const { Worker } = workerThreads;
  const { cpus } = os;
  workerThreads.Worker = pthreadWorkerClass(options.bootstrap, () => failStart);
  os.cpus = () => Array.from({ length: threads * 2 }, () => cpus()[0]!);
  try {
    await Promise.race([setWasmBackend(wasm, threads), failed]);
    // Only a pool that started is Emscripten's to watch; an abandoned one's errors stay here.
    failStart = undefined;
  } finally {
    clearTimeout(timer);
    workerThreads.Worker = Worker;
    os.cpus = cpus;
  }
}

/** How startWasm may be told otherwise (tests). */
export interface WasmStartOptions {
  /** Give up a threaded start after this long. */
  timeoutMs?: number;
  /** The pool workers' first code (PTHREAD_BOOTSTRAP). */
  bootstrap?: string;
}

/**
 * Starts tf's wasm backend with `threads` XNNPACK threads (the first start
 * decides; later calls find it running). A threaded start that fails (a
 * pool worker included) or hangs falls back to one thread and says why.
 * @throws Error when even the single-threaded start fails.
 */
export async function startWasm(wasm: TfjsWasm, threads: number, options: WasmStartOptions = {}): Promise<WasmStart> {
  started ??= (async () => {
    let threadsFailed: string | undefined;
    if (threads > 1) {
      try {
        await startThreaded(wasm, threads, { timeoutMs: THREADED_START_TIMEOUT_MS, bootstrap: PTHREAD_BOOTSTRAP, ...options });
        return { threads: wasm.getThreadsCount() };
      } catch (err) {
        threadsFailed = err instanceof Error ? err.message : String(err);
      }
    }
    await setWasmBackend(wasm, 1);
    return { threads: wasm.getThreadsCount(), ...(threadsFailed === undefined ? {} : { threadsFailed }) };
  })();
  return started;
}
