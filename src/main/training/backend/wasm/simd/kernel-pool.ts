/**
 * Threads for the studio's SIMD kernels: worker_threads that instantiate the
 * same compiled module on the same (shared) heap and wait on Atomics for a
 * call. The trainer's own thread always takes the first part of a split, so
 * a pool of N threads has N − 1 workers.
 *
 * One call at a time per worker: the caller writes the export's index and
 * its i32 arguments into the worker's slot, bumps the slot's sequence number
 * and wakes it; the worker runs the call and publishes the same number as
 * done (or a failure, which the caller rethrows). The workers are unref'd:
 * like tfjs's own pool they must not keep a process alive.
 */
import workerThreads from 'node:worker_threads';

/** One kernel call: an export's name and its (i32) arguments. */
export interface KernelCall {
  fn: string;
  args: number[];
}

const SLOT = 32;
const MAX_ARGS = SLOT - 4;
/** Slot layout: [sequence, done, export index, argument count, arguments…]. */
const [SEQ, DONE, FN, ARGC, ARGS] = [0, 1, 2, 3, 4];
/** A done value that says the call threw. */
const FAILED = -1;

const WORKER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control, index } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const fns = WebAssembly.Module.exports(module).map((e) => instance.exports[e.name]);
parentPort.postMessage('ready');
const ctl = new Int32Array(control);
const base = index * ${SLOT};
let seen = 0;
for (;;) {
  Atomics.wait(ctl, base + ${SEQ}, seen);
  seen = Atomics.load(ctl, base + ${SEQ});
  let done = seen;
  try {
    const args = [];
    for (let i = 0; i < ctl[base + ${ARGC}]; i++) args.push(ctl[base + ${ARGS} + i]);
    fns[ctl[base + ${FN}]](...args);
  } catch {
    done = ${FAILED};
  }
  Atomics.store(ctl, base + ${DONE}, done);
  Atomics.notify(ctl, base + ${DONE});
}
`;

/** Worker threads running the kernels beside the calling thread. */
export class KernelPool {
  private readonly control: Int32Array;
  private readonly sequence: number[];

  private constructor(
    private readonly workers: workerThreads.Worker[],
    control: SharedArrayBuffer,
    private readonly exportIndex: Map<string, number>,
  ) {
    this.control = new Int32Array(control);
    this.sequence = workers.map(() => 0);
  }

  /** Threads a split can use, the caller's included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Starts `threads − 1` workers on `module` and the shared `memory`;
   * resolves once each has instantiated the module.
   */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, threads: number): Promise<KernelPool> {
    const control = new SharedArrayBuffer(Math.max(threads - 1, 1) * SLOT * 4);
    const workers = await Promise.all(
      Array.from({ length: threads - 1 }, (_, index) => {
        const worker = new workerThreads.Worker(WORKER, { eval: true, execArgv: [], workerData: { module, memory, control, index } });
        // Held until its module is instantiated (nothing else may keep the process waiting), then let go.
        return new Promise<workerThreads.Worker>((resolve, reject) => {
          worker.once('error', reject);
          worker.once('message', () => {
            worker.unref();
            resolve(worker);
          });
        });
      }),
    );
    const exportIndex = new Map(WebAssembly.Module.exports(module).map((e, i) => [e.name, i]));
    return new KernelPool(workers, control, exportIndex);
  }

  /**
   * Runs calls[0] on this thread and calls[i] on worker i − 1, all at once;
   * returns when every one has finished.
   * @throws Error when a worker's call failed.
   */
  run(calls: KernelCall[], runHere: (call: KernelCall) => void): void {
    const ctl = this.control;
    calls.slice(1).forEach((call, w) => {
      if (call.args.length > MAX_ARGS) throw new Error(`expected at most ${MAX_ARGS} kernel arguments, got ${call.args.length}`);
      const base = w * SLOT;
      ctl[base + FN] = this.exportIndex.get(call.fn)!;
      ctl[base + ARGC] = call.args.length;
      call.args.forEach((a, i) => (ctl[base + ARGS + i] = a));
      Atomics.store(ctl, base + SEQ, ++this.sequence[w]!);
      Atomics.notify(ctl, base + SEQ);
    });
    runHere(calls[0]!);
    let failed = false;
    for (let w = 0; w < calls.length - 1; w++) {
      const base = w * SLOT;
      const want = this.sequence[w]!;
      for (;;) {
        const done = Atomics.load(ctl, base + DONE);
        if (done === want) break;
        if (done === FAILED) {
          failed = true;
          // Re-arm: the next call's "done" must not read as this failure.
          Atomics.store(ctl, base + DONE, want);
          break;
        }
        Atomics.wait(ctl, base + DONE, done, 1);
      }
    }
    if (failed) throw new Error('a studio wasm kernel failed on a worker thread (out-of-bounds access)');
  }

  /** Ends the workers (tests; a trainer's pool lives as long as its process). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
