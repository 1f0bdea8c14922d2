/**
 * Adam's update in one pass on wasm. tfjs's AdamOptimizer makes 14 kernel
 * calls per variable per step (each with a full-size temporary, and a scalar
 * tensor for each constant): m, v, both bias corrections, the square root,
 * the step and the new value. While the wasm backend with the studio's
 * kernels trains, applyGradients runs one kernel per variable instead,
 * split across the kernel threads for large variables. It performs the same
 * float32 operations in the same order — (m·β1 + g·(1−β1)), (v·β2 +
 * g²·(1−β2)), the two divisions, √ + ε, the quotient, ·(−lr) + w — so every
 * value is bit for bit what tfjs computes; the optimizer's state (moments,
 * β-powers, iterations) is the same tfjs state, so checkpoints do not change.
 * Other backends keep tfjs's applyGradients.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../kernel-ops';
import { studioKernels } from './conv-kernels';
import { parallelElements } from './parallel';
import { FunctionBuilder, OP, SIMD } from './wasm-emitter';

/** The kernel: inputs {g, m, v, w, oneMinusAccBeta1, oneMinusAccBeta2}, attrs {beta1, beta2, epsilon, learningRate}; outputs [m, v, w]. */
export const ADAM_UPDATE = 'StudioAdamUpdate';

/** The float32 constants the kernel reads, in this order, from a block on the heap. */
const PARAMS = ['beta1', 'oneMinusBeta1', 'beta2', 'oneMinusBeta2', 'oneMinusAccBeta1', 'oneMinusAccBeta2', 'epsilon', 'negativeLearningRate'] as const;

/** The vector and scalar opcodes of the update's arithmetic. */
const OPS: Record<'add' | 'mul' | 'div' | 'sqrt', [number, number]> = {
  add: [SIMD.f32x4Add, OP.f32Add],
  mul: [SIMD.f32x4Mul, OP.f32Mul],
  div: [SIMD.f32x4Div, OP.f32Div],
  sqrt: [SIMD.f32x4Sqrt, OP.f32Sqrt],
};

/**
 * adamUpdate(g, m, v, w, mOut, vOut, wOut, n, params): elements 0..n of the
 * update above (vectors of 4, then a scalar tail); params holds PARAMS.
 */
export function adamUpdate(): FunctionBuilder {
  const fb = new FunctionBuilder(Array<'i32'>(9).fill('i32'));
  const [G, M, V, W, M_OUT, V_OUT, W_OUT, N, PARAMS_AT] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const i = fb.local('i32');
  const g = fb.local('v128');
  const m = fb.local('v128');
  const v = fb.local('v128');
  const gs = fb.local('f32');
  const ms = fb.local('f32');
  const vs = fb.local('f32');
  const cv = PARAMS.map(() => fb.local('v128'));
  const cs = PARAMS.map(() => fb.local('f32'));
  const c = (name: (typeof PARAMS)[number]) => PARAMS.indexOf(name);
  PARAMS.forEach((_, j) => fb.get(PARAMS_AT).mem(OP.f32Load, 2, j * 4).tee(cs[j]!).simd(SIMD.f32x4Splat).set(cv[j]!));

  /** The update at element i, as vectors or scalars. */
  const update = (vector: boolean) => {
    const load = (base: number) => (fb.get(base).get(i).i32(4).op(OP.i32Mul, OP.i32Add), vector ? fb.simdMem(SIMD.load) : fb.mem(OP.f32Load, 2));
    const storeAt = (base: number) => fb.get(base).get(i).i32(4).op(OP.i32Mul, OP.i32Add);
    const store = () => (vector ? fb.simdMem(SIMD.store) : fb.mem(OP.f32Store, 2));
    const op = (name: 'add' | 'mul' | 'div' | 'sqrt') => {
      const [simd, scalar] = OPS[name];
      if (vector) fb.simd(simd);
      else fb.op(scalar);
    };
    const k = (name: (typeof PARAMS)[number]) => fb.get(vector ? cv[c(name)]! : cs[c(name)]!);
    const [gl, ml, vl] = vector ? [g, m, v] : [gs, ms, vs];
    load(G);
    fb.set(gl);
    // m = m·β1 + g·(1−β1)
    storeAt(M_OUT);
    load(M);
    k('beta1');
    op('mul');
    fb.get(gl);
    k('oneMinusBeta1');
    op('mul');
    op('add');
    fb.tee(ml);
    store();
    // v = v·β2 + g²·(1−β2)
    storeAt(V_OUT);
    load(V);
    k('beta2');
    op('mul');
    fb.get(gl).get(gl);
    op('mul');
    k('oneMinusBeta2');
    op('mul');
    op('add');
    fb.tee(vl);
    store();
    // w = (m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε) · (−lr) + w
    storeAt(W_OUT);
    fb.get(ml);
    k('oneMinusAccBeta1');
    op('div');
    fb.get(vl);
    k('oneMinusAccBeta2');
    op('div');
    op('sqrt');
    k('epsilon');
    op('add');
    op('div');
    k('negativeLearningRate');
    op('mul');
    load(W);
    op('add');
    store();
  };
  fb.forRange(i, 0, () => fb.get(N).i32(3).op(OP.i32Sub), 4, () => update(true));
  fb.forRange(i, () => fb.get(i), () => fb.get(N), 1, () => update(false));
  return fb;
}

interface AdamAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
}

function adamKernel(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo[] {
  const backend = args.backend as WasmBackendLike;
  const { g, m, v, w, oneMinusAccBeta1, oneMinusAccBeta2 } = args.inputs as Record<string, tf.TensorInfo>;
  const { beta1, beta2, epsilon, learningRate } = args.attrs as unknown as AdamAttrs;
  const kernels = studioKernels(backend)!;
  const outputs = [m!, v!, w!].map((t) => backend.makeOutput([...t.shape], 'float32'));
  const block = backend.makeOutput([PARAMS.length], 'float32');
  const read = (t: tf.TensorInfo) => (backend.typedArrayFromHeap(t) as Float32Array)[0]!;
  // The constants as tfjs makes them: JavaScript numbers turned into float32 scalars.
  const values = [beta1, 1 - beta1, beta2, 1 - beta2, read(oneMinusAccBeta1!), read(oneMinusAccBeta2!), epsilon, -learningRate];
  (backend.typedArrayFromHeap(block) as Float32Array).set(values);
  const at = (t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
  const n = w!.shape.reduce((a, b) => a * b, 1);
  const [mOut, vOut, wOut] = outputs.map(at) as [number, number, number];
  parallelElements(kernels, n, (from, to) => ({
    fn: 'adamUpdate',
    args: [at(g!) + from * 4, at(m!) + from * 4, at(v!) + from * 4, at(w!) + from * 4, mOut + from * 4, vOut + from * 4, wOut + from * 4, to - from, at(block)],
  }));
  backend.disposeData(block.dataId);
  return outputs;
}

/** Kernel config registered for backend 'wasm'. */
export const adamUpdateConfig: tf.KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: adamKernel as unknown as tf.KernelFunc,
};

/** The parts of tfjs's AdamOptimizer the fused update reads and keeps up (private or protected there). */
interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  incrementIterations(): void;
}

type VariableGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

const onStudioWasm = (): boolean => tf.getBackend() === 'wasm' && studioKernels(tf.backend()) !== undefined;

/** A moment variable as tfjs makes it (zeros, not trainable, named `<variable>/m` or `/v`). */
const zeroMoment = (name: string, variable: tf.Variable, suffix: string) => ({
  originalName: `${name}/${suffix}`,
  variable: tf.tidy(() => tf.zerosLike(variable).variable(false)),
});

/** tfjs 4.22's AdamOptimizer.applyGradients with the per-variable arithmetic in ADAM_UPDATE. */
function fusedApplyGradients(this: AdamInternals, variableGradients: VariableGradients): void {
  const list = Array.isArray(variableGradients);
  const names = list ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
  tf.tidy(() => {
    const oneMinusAccBeta1 = tf.sub(1, this.accBeta1);
    const oneMinusAccBeta2 = tf.sub(1, this.accBeta2);
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name]!;
      this.accumulatedFirstMoment[i] ??= zeroMoment(name, value, 'm');
      this.accumulatedSecondMoment[i] ??= zeroMoment(name, value, 'v');
      const gradient = list ? variableGradients[i]!.tensor : variableGradients[name];
      if (gradient == null) return;
      const m = this.accumulatedFirstMoment[i].variable;
      const v = this.accumulatedSecondMoment[i].variable;
      const inputs = { g: gradient, m, v, w: value, oneMinusAccBeta1, oneMinusAccBeta2 };
      const attrs = { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, learningRate: this.learningRate };
      const [newM, newV, newValue] = tf.engine().runKernel(ADAM_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      m.assign(newM!);
      v.assign(newV!);
      value.assign(newValue!);
    });
    this.accBeta1.assign(tf.mul(this.accBeta1, this.beta1));
    this.accBeta2.assign(tf.mul(this.accBeta2, this.beta2));
  });
  this.incrementIterations();
}

let installed = false;

/** Routes AdamOptimizer.applyGradients to the fused update on wasm (idempotent). */
export function installFusedAdam(): void {
  if (installed) return;
  const prototype = tf.AdamOptimizer.prototype as unknown as { applyGradients: (this: AdamInternals, g: VariableGradients) => void };
  const original = prototype.applyGradients;
  prototype.applyGradients = function (this: AdamInternals, variableGradients: VariableGradients) {
    const float32 = Object.values(Array.isArray(variableGradients) ? variableGradients.map((v) => v.tensor) : variableGradients).every((t) => t == null || t.dtype === 'float32');
    if (onStudioWasm() && float32) fusedApplyGradients.call(this, variableGradients);
    else original.call(this, variableGradients);
  };
  installed = true;
}
