/**
 * Dropout's mask on wasm in one pass. tfjs's dropout draws one uniform
 * number per element in JavaScript (seedrandom's Alea, ~15 ns each: 60 ms of
 * every tf-tutorial step), then runs Add, Floor and RealDiv over the result
 * before the Multiply. While the wasm backend with the studio's kernels
 * trains, the mask floor(u + keep) / keep comes from one kernel that runs the
 * same Alea generator in wasm: seeded the same way (tfjs seeds each call
 * from Math.random(), which the trainer gives each step's own stream), the
 * same float64 recurrence, each u rounded to float32 as tfjs's buffer
 * stores it, then the same float32 add, floor and division — so the mask,
 * and the Multiply after it (which carries the gradient, as in tfjs), are
 * bit for bit tfjs's. Other backends and other calls (a noise shape that
 * broadcasts, rate 0) keep tfjs's dropout.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import type { WasmBackendLike } from '../kernel-ops';
import { studioKernels } from './conv-kernels';
import { FunctionBuilder, OP } from './wasm-emitter';

/** The kernel: no inputs; attrs {shape, keepProb, s0, s1, s2, c} (the Alea state); output the float32 multiplier. */
export const DROPOUT_MASK = 'StudioDropoutMask';

const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

/** seedrandom's Mash hash (Baagoe), as tfjs's bundled copy runs it. */
function mash(): (data: string) => number {
  let n = 0xefc8249d;
  return (data) => {
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000;
    }
    return (n >>> 0) * TWO_TO_MINUS_32;
  };
}

/** Alea's state after seeding with `seed` (seedrandom.alea(seed)). */
export function aleaState(seed: string): { s0: number; s1: number; s2: number; c: number } {
  const m = mash();
  const state = { s0: m(' '), s1: m(' '), s2: m(' '), c: 1 };
  for (const key of ['s0', 's1', 's2'] as const) {
    state[key] -= m(seed);
    if (state[key] < 0) state[key] += 1;
  }
  return state;
}

/**
 * dropoutMask(out, n, s0, s1, s2, c, keep): for each of n elements, Alea's
 * next u = (t = 2091639·s0 + c·2⁻³²) − (c = ⌊t⌋), then out = ⌊f32(u) + keep⌋ / keep in float32.
 */
export function dropoutMask(): FunctionBuilder {
  const fb = new FunctionBuilder(['i32', 'i32', 'f64', 'f64', 'f64', 'f64', 'f32']);
  const [OUT, N, S0, S1, S2, C, KEEP] = [0, 1, 2, 3, 4, 5, 6];
  const i = fb.local('i32');
  const t = fb.local('f64');
  fb.forRange(i, 0, () => fb.get(N), 1, () => {
    fb.f64(2091639).get(S0).op(OP.f64Mul).get(C).f64(TWO_TO_MINUS_32).op(OP.f64Mul, OP.f64Add).set(t);
    fb.get(S1).set(S0);
    fb.get(S2).set(S1);
    // t is in [0, 2091640): t | 0 is its floor.
    fb.get(t).op(OP.f64Floor).set(C);
    fb.get(t).get(C).op(OP.f64Sub).set(S2);
    fb.get(OUT).get(i).i32(4).op(OP.i32Mul, OP.i32Add);
    fb.get(S2).op(OP.f32DemoteF64).get(KEEP).op(OP.f32Add, OP.f32Floor).get(KEEP).op(OP.f32Div);
    fb.mem(OP.f32Store, 2);
  });
  return fb;
}

interface MaskAttrs {
  shape: number[];
  keepProb: number;
  s0: number;
  s1: number;
  s2: number;
  c: number;
}

function dropoutMaskKernel(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { shape, keepProb, s0, s1, s2, c } = args.attrs as unknown as MaskAttrs;
  const out = backend.makeOutput(shape, 'float32');
  const n = shape.reduce((a, b) => a * b, 1);
  studioKernels(backend)!.exports['dropoutMask']!(backend.getMemoryOffset(out.dataId), n, s0, s1, s2, c, keepProb);
  return out;
}

/** Kernel config registered for backend 'wasm'. */
export const dropoutMaskConfig: tf.KernelConfig = {
  kernelName: DROPOUT_MASK,
  backendName: 'wasm',
  kernelFunc: dropoutMaskKernel as unknown as tf.KernelFunc,
};

type Dropout = typeof tf.dropout;

/** tfjs-core's module object, whose `dropout` tf.layers' Dropout calls at run time. */
function tfjsCore(): { dropout: Dropout } | undefined {
  try {
    // tfjs-core as @tensorflow/tfjs itself resolves it: the one instance every tfjs package shares.
    const fromTfjs = createRequire(createRequire(import.meta.url).resolve('@tensorflow/tfjs'));
    return fromTfjs('@tensorflow/tfjs-core') as { dropout: Dropout };
  } catch {
    return undefined;
  }
}

let installed = false;

/**
 * Routes tfjs's dropout to the one-pass mask on wasm (idempotent). Returns
 * false when tfjs-core's module cannot be patched (a frozen bundle): dropout
 * then stays tfjs's, only slower.
 */
export function installFastDropout(): boolean {
  if (installed) return true;
  const core = tfjsCore();
  const descriptor = core === undefined ? undefined : Object.getOwnPropertyDescriptor(core, 'dropout');
  if (core === undefined || descriptor?.writable !== true) return false;
  const original = core.dropout;
  core.dropout = ((x: tf.Tensor | tf.TensorLike, rate: number, noiseShape?: number[], seed?: number | string) => {
    const ours =
      x instanceof tf.Tensor &&
      x.dtype === 'float32' &&
      rate > 0 &&
      rate < 1 &&
      (noiseShape == null || tf.util.arraysEqual(noiseShape, x.shape)) &&
      tf.getBackend() === 'wasm' &&
      studioKernels(tf.backend()) !== undefined;
    if (!ours) return original(x, rate, noiseShape, seed);
    // tfjs: new UniformRandom(0, 1, null, seed) seeds Alea with String(seed ?? Math.random()).
    const state = aleaState(String(seed ?? Math.random()));
    const keepProb = 1 - rate;
    const attrs = { shape: x.shape, keepProb, ...state } as unknown as tf.NamedAttrMap;
    const multiplier = tf.engine().runKernel(DROPOUT_MASK, {}, attrs) as tf.Tensor;
    const out = tf.mul(x, multiplier);
    multiplier.dispose();
    return out;
  }) as Dropout;
  installed = true;
  return true;
}
