/**
 * Threads for the studio's SIMD kernels: worker_threads that instantiate the
 * same compiled module on the same (shared) heap and wait on Atomics for a
 * call. The trainer's own thread always takes the first part of a split, so
 * a pool of N threads has N − 1 workers.
 *
 * One call at a time per worker: the caller writes the export's index and
 * its arguments into the worker's slot, bumps the slot's sequence number
 * and wakes it; the worker runs the call and publishes the same number as
 * done (or a failure, which the caller rethrows). The workers are unref'd:
 * like tfjs's own pool they must not keep a process alive.
 */
import workerThreads from 'node:worker_threads';

/**
 * One kernel call: an export's name and its arguments — i32 or f32 params,
 * carried as float64 (exact for both: the worker passes the same JavaScript
 * number the caller would).
 */
export interface KernelCall {
  fn: string;
  args: number[];
}

const SLOT = 32;
const MAX_ARGS = SLOT - 4;
/** Slot layout: [sequence, done, export index, argument count]; the arguments in a float64 slot of MAX_ARGS beside it. */
const [SEQ, DONE, FN, ARGC] = [0, 1, 2, 3];
/** A done value that says the call threw. */
const FAILED = -1;

const WORKER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control, argsBuffer, index } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const fns = WebAssembly.Module.exports(module).map((e) => instance.exports[e.name]);
parentPort.postMessage('ready');
const ctl = new Int32Array(control);
const argv = new Float64Array(argsBuffer);
const base = index * ${SLOT};
const argBase = index * ${MAX_ARGS};
let seen = 0;
for (;;) {
  Atomics.wait(ctl, base + ${SEQ}, seen);
  seen = Atomics.load(ctl, base + ${SEQ});
  let done = seen;
  try {
    const args = [];
    for (let i = 0; i < ctl[base + ${ARGC}]; i++) args.push(argv[argBase + i]);
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
  private readonly args: Float64Array;
  private readonly sequence: number[];

  private constructor(
    private readonly workers: workerThreads.Worker[],
    control: SharedArrayBuffer,
    argsBuffer: SharedArrayBuffer,
    private readonly exportIndex: Map<string, number>,
  ) {
    this.control = new Int32Array(control);
    this.args = new Float64Array(argsBuffer);
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
    const argsBuffer = new SharedArrayBuffer(Math.max(threads - 1, 1) * MAX_ARGS * 8);
    const workers = await Promise.all(
      Array.from({ length: threads - 1 }, (_, index) => {
        const worker = new workerThreads.Worker(WORKER, { eval: true, execArgv: [], workerData: { module, memory, control, argsBuffer, index } });
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
    return new KernelPool(workers, control, argsBuffer, exportIndex);
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
      // Written before the sequence number's Atomics.store, so the worker sees them once it sees the number.
      this.args.set(call.args, w * MAX_ARGS);
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
