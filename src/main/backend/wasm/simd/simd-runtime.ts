/**
 * The studio's SIMD kernel module, instantiated on tfjs-backend-wasm's own
 * heap: kernels read and write tensors where tfjs keeps them, so nothing is
 * copied in or out. Compiled once per backend, on first use.
 *
 * Relaxed SIMD (a fused multiply-add) is used where the runtime has it:
 * Electron's V8 does; Node 20 has it behind --experimental-wasm-relaxed-simd,
 * which is turned on here (a V8 flag set before the module compiles) when the
 * process did not start with it. Otherwise the SIMD128 build runs. Which one
 * ran is reported (`simdKind`) in the backend's device string and the bench.
 */
import v8 from 'node:v8';
import { batchNormGrad } from './batch-norm-gradient';
import { elementwiseFunctions } from './elementwise-kernels';
import { dropoutMask } from './fast-dropout';
import { adamUpdate } from './fused-adam';
import { gemmColumnsPacked } from './gemm-columns-packed';
import { gemmRows } from './gemm-kernels';
import { gatherRows, gemmColumnsDot, gemmRowsDot } from './gemm-narrow-kernels';
import { KernelPool } from './kernel-pool';
import { forwardTable, phaseTable } from './table-kernels';
import { encodeModule } from './wasm-emitter';
import { winogradTransform } from './winograd-kernels';
import type { FunctionBuilder, MemoryImport } from './wasm-emitter';

/** Which SIMD instruction set the studio's kernels run on. */
export type SimdKind = 'relaxed-simd' | 'simd128';

/** The exported kernels (all addresses are byte offsets into the heap). */
export interface SimdExports {
  gemmRows(ind: number, outInd: number, w: number, bias: number, pBegin: number, pEnd: number, t: number, k: number, n: number): void;
  [elementwise: string]: (...args: number[]) => void;
}

/** The kernels on one backend's heap. */
export interface SimdKernels {
  kind: SimdKind;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  exports: SimdExports;
  /** Worker threads for large calls (absent: the calling thread only). */
  pool?: KernelPool;
}

/** The part of the Emscripten module object this needs. */
interface EmscriptenHeap {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
}

function moduleFunctions(fma: boolean): Record<string, FunctionBuilder> {
  return {
    gemmRows: gemmRows(fma),
    gemmColumnsPacked: gemmColumnsPacked(fma),
    gemmRowsDot: gemmRowsDot(fma),
    gemmColumnsDot: gemmColumnsDot(fma),
    gatherRows: gatherRows(),
    forwardTable: forwardTable(),
    phaseTable: phaseTable(),
    adamUpdate: adamUpdate(),
    batchNormGrad: batchNormGrad(),
    dropoutMask: dropoutMask(),
    winogradTransform: winogradTransform(fma),
    ...elementwiseFunctions(),
  };
}

/** True when this runtime validates relaxed SIMD, after turning V8's flag on where that is possible. */
function relaxedSimdAvailable(probe: Uint8Array<ArrayBuffer>): boolean {
  if (WebAssembly.validate(probe)) return true;
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return WebAssembly.validate(probe);
}

/**
 * GAN_STUDIO_WASM_SIMD: `simd128` forces the SIMD128 build, `off` leaves the
 * studio's kernels out (tfjs's and XNNPACK's only) — to compare them.
 */
const simdSetting = (): string | undefined => process.env['GAN_STUDIO_WASM_SIMD'];
const relaxedAllowed = (): boolean => simdSetting() !== 'simd128';

/** Compiles and instantiates the kernels on `memory`. */
export function instantiateSimdKernels(memory: WebAssembly.Memory): SimdKernels {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const imports: MemoryImport = { shared, minimumPages: 1 };
  const relaxed = encodeModule(imports, moduleFunctions(true));
  const kind: SimdKind = relaxedAllowed() && relaxedSimdAvailable(relaxed) ? 'relaxed-simd' : 'simd128';
  const bytes = kind === 'relaxed-simd' ? relaxed : encodeModule(imports, moduleFunctions(false));
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { kind, module, memory, exports: instance.exports as unknown as SimdExports };
}

const byHeap = new WeakMap<object, SimdKernels | null>();

/**
 * The kernels for a tfjs wasm backend (compiled on first call, on the
 * calling thread only unless startSimdKernels gave them threads), or
 * undefined when this runtime has no WebAssembly SIMD — then the callers
 * fall back to tfjs's own kernels.
 */
export function simdKernelsFor(backend: unknown): SimdKernels | undefined {
  const heap = (backend as { wasm?: EmscriptenHeap }).wasm;
  if (heap === undefined || simdSetting() === 'off') return undefined;
  let kernels = byHeap.get(heap);
  if (kernels === undefined) {
    const memory = heap.wasmMemory ?? heap.asm?.memory;
    try {
      kernels = memory === undefined ? null : instantiateSimdKernels(memory);
    } catch {
      kernels = null;
    }
    byHeap.set(heap, kernels);
  }
  return kernels ?? undefined;
}

/**
 * Compiles the kernels for `backend` and, when its heap is shared (tfjs's
 * threaded build), starts `threads − 1` workers for them. Returns what runs,
 * or undefined without SIMD. A pool that fails to start leaves the kernels on
 * the calling thread (and says why).
 */
export async function startSimdKernels(backend: unknown, threads: number): Promise<{ kernels?: SimdKernels; poolFailed?: string }> {
  const kernels = simdKernelsFor(backend);
  if (kernels === undefined || kernels.pool !== undefined || threads < 2) return { kernels };
  if (!(typeof SharedArrayBuffer !== 'undefined' && kernels.memory.buffer instanceof SharedArrayBuffer)) return { kernels };
  try {
    kernels.pool = await KernelPool.start(kernels.module, kernels.memory, threads);
    return { kernels };
  } catch (err) {
    return { kernels, poolFailed: err instanceof Error ? err.message : String(err) };
  }
}
