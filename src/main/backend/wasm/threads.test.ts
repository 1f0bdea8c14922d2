/**
 * The threaded wasm backend: thread count from the environment, and real
 * child processes (tfjs's pthread workers only start in a fresh process)
 * that train a conv step with 2 threads and 1 and must agree bit for bit — and exit on
 * their own, since XNNPACK's waiting pool threads must not keep them alive.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { seededValues } from './test-support';
import { MAX_WASM_THREADS, wasmThreadCount } from './threads';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const here = import.meta.dirname;

// One conv layer's forward pass and both gradients, on seeded values, printed as JSON.
const STEP = `
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from ${JSON.stringify(pathToFileURL(join(here, '..', 'select.ts')).href)};
import { seededValues } from ${JSON.stringify(pathToFileURL(join(here, 'test-support.ts')).href)};
const report = await selectBackend({ forced: 'wasm' });
const x = tf.tensor4d(seededValues(8 * 16 * 16 * 16, 1), [8, 16, 16, 16]);
const w = tf.variable(tf.tensor4d(seededValues(5 * 5 * 16 * 32, 2), [5, 5, 16, 32]));
const loss = () => tf.conv2d(x, w, 2, 'same').square().mean();
const { value, grads } = tf.variableGrads(loss);
const dx = tf.grad((input) => tf.conv2d(input, w, 2, 'same').square().mean())(x);
// An RGB input: its filter gradient gathers the taps into one, and threads split that tap's rows.
const rgb = tf.tensor4d(seededValues(8 * 16 * 16 * 3, 3), [8, 16, 16, 3]);
const dwRgb = tf.grad((filter) => tf.conv2d(rgb, filter, 2, 'same').square().mean())(tf.tensor4d(seededValues(5 * 5 * 3 * 32, 4), [5, 5, 3, 32]));
// Adam on a variable large enough for its one-pass update to be split across the threads.
const big = tf.variable(tf.tensor1d(seededValues(1 << 17, 5)));
const adam = tf.train.adam(0.01, 0.5);
for (let i = 0; i < 3; i++) adam.applyGradients(tf.variableGrads(() => big.sin().sum()).grads);
// Elementwise passes large enough to be split across the threads: LeakyReLU and its gradient,
// same-shape, scalar and row broadcasts, Square and BatchNorm; then a length 6 past a multiple of 4.
const e = tf.tensor4d(seededValues(4 * 32 * 32 * 64, 6), [4, 32, 32, 64]);
const bias = tf.tensor1d(seededValues(64, 7));
const dE = tf.grad((t) => tf.leakyRelu(t, 0.2).mul(t).add(bias).mul(2).square().sum())(e);
const bn = tf.batchNorm(e, bias, bias.abs().add(1), bias, bias, 1e-3);
const tail = tf.leakyRelu(tf.tensor1d(seededValues((1 << 17) + 6, 8)), 0.2);
console.log(JSON.stringify({ device: report.device, loss: await value.data(), dw: [...await grads[w.name].data()], dx: [...await dx.data()], dwRgb: [...await dwRgb.data()], adam: [...await big.data()], elementwise: [...await dE.data(), ...await bn.data(), ...await tail.data()] }));
`;

interface StepOutput {
  device: string;
  loss: Record<string, number>;
  dw: number[];
  dx: number[];
  dwRgb: number[];
  adam: number[];
  elementwise: number[];
}

// A threaded start with the given options: it must fall back to one thread, say why, and still compute.
const fallbackScript = (options: string) => `
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { startWasm } from ${JSON.stringify(pathToFileURL(join(here, 'threads.ts')).href)};
const require = createRequire(import.meta.url);
const wasm = require('@tensorflow/tfjs-backend-wasm');
wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + sep);
const start = await startWasm(wasm, 2, ${options});
const sum = await tf.conv2d(tf.ones([1, 8, 8, 2]), tf.ones([3, 3, 2, 4]), 1, 'valid').sum().data();
console.log(JSON.stringify({ ...start, backend: tf.getBackend(), sum: sum[0] }));
process.exit(0);
`;

interface FallbackOutput {
  threads: number;
  threadsFailed?: string;
  backend: string;
  sum: number;
}

// 6×6 outputs × 4 filters, each summing 3·3·2 ones.
const ONES_CONV_SUM = 6 * 6 * 4 * 18;

async function runChild<T>(script: string, threads: string, conv = ''): Promise<T> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], {
    env: { ...process.env, GAN_STUDIO_WASM_THREADS: threads, GAN_STUDIO_WASM_CONV: conv },
    // A pool thread holding the process open shows as this timeout.
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

const stepInChild = (threads: string, conv = '') => runChild<StepOutput>(STEP, threads, conv);

describe('wasmThreadCount', () => {
  it('uses every core, at most tfjs’s 8, unless GAN_STUDIO_WASM_THREADS says', () => {
    expect(wasmThreadCount({}, 2)).toBe(2);
    expect(wasmThreadCount({}, 64)).toBe(MAX_WASM_THREADS);
    expect(wasmThreadCount({ GAN_STUDIO_WASM_THREADS: ' ' }, 4)).toBe(4);
    expect(wasmThreadCount({ GAN_STUDIO_WASM_THREADS: '1' }, 16)).toBe(1);
    expect(wasmThreadCount({ GAN_STUDIO_WASM_THREADS: '3' }, 2)).toBe(3);
    expect(wasmThreadCount({ GAN_STUDIO_WASM_THREADS: '99' }, 2)).toBe(MAX_WASM_THREADS);
  });

  it.each(['0', '-2', '1.5', 'two'])('refuses GAN_STUDIO_WASM_THREADS=%s with what it wants', (value) => {
    expect(() => wasmThreadCount({ GAN_STUDIO_WASM_THREADS: value }, 2)).toThrow(
      `GAN_STUDIO_WASM_THREADS must be a whole number ≥ 1, got "${value}"`,
    );
  });
});

describe('threaded wasm in a real process', () => {
  // The direct conv kernels, every conv split into stride-1 phases (conv-phases.ts), and every strided conv as one
  // stride-1 correlation through space-to-depth (conv-space-to-depth.ts: its copies, then the Winograd kernels).
  it.each(['direct', 'phases', 'space-to-depth'])('GAN_STUDIO_WASM_CONV=%s: trains a conv step, Adam and elementwise passes on 2 threads to the single thread’s numbers, then exits by itself', async (conv) => {
    const [two, one] = await Promise.all([stepInChild('2', conv), stepInChild('1', conv)]);
    // The studio's own kernels (their threads too) and XNNPACK; relaxed SIMD where the runtime has it.
    expect(two.device).toMatch(/^CPU \(WebAssembly, studio kernels \((relaxed-simd|simd128)\) \+ XNNPACK, 2 threads\)$/);
    expect(one.device).toMatch(/^CPU \(WebAssembly, studio kernels \((relaxed-simd|simd128)\) \+ XNNPACK, single thread\)$/);
    expect(one.dw.length).toBe(5 * 5 * 16 * 32);
    // Bit for bit: the studio's kernels (the phases' and space-to-depth's correlations too) and XNNPACK split the work by output tile, never a sum, so seeded runs repeat on any thread count.
    expect(two.loss).toEqual(one.loss);
    expect(two.dw).toEqual(one.dw);
    expect(two.dx).toEqual(one.dx);
    expect(one.dwRgb.length).toBe(5 * 5 * 3 * 32);
    expect(two.dwRgb).toEqual(one.dwRgb);
    expect(two.adam).toEqual(one.adam);
    expect(two.adam).not.toEqual([...seededValues(1 << 17, 5)]);
    expect(one.elementwise.length).toBe(2 * 4 * 32 * 32 * 64 + (1 << 17) + 6);
    // Counted, not diffed: a failure over 650k values reports at once.
    expect(two.elementwise.filter((v, i) => !Object.is(v, one.elementwise[i])).length).toBe(0);
    // Not all zeros: the comparison above would pass on an empty step.
    expect(Math.max(...one.dw.map(Math.abs))).toBeGreaterThan(1e-3);
    expect(Math.max(...one.dwRgb.map(Math.abs))).toBeGreaterThan(1e-3);
    expect(one.elementwise.filter((v) => v !== 0).length).toBeGreaterThan(one.elementwise.length / 2);
  }, 120_000);

  it('falls back to one thread, saying why, when the threaded start does not answer in time', async () => {
    const out = await runChild<FallbackOutput>(fallbackScript('{ timeoutMs: 1 }'), '2');
    expect(out).toEqual({ threads: 1, threadsFailed: 'no answer within 0.001 s', backend: 'wasm', sum: ONES_CONV_SUM });
  }, 60_000);

  it('falls back to one thread, instead of dying, when a pool worker fails to start', async () => {
    const out = await runChild<FallbackOutput>(fallbackScript(`{ bootstrap: "throw new Error('no pthreads here')" }`), '2');
    expect(out).toEqual({ threads: 1, threadsFailed: 'no pthreads here', backend: 'wasm', sum: ONES_CONV_SUM });
  }, 60_000);

  it('refuses a bad GAN_STUDIO_WASM_CONV by name when wasm is forced', async () => {
    await expect(stepInChild('1', 'winograd')).rejects.toThrow(/GAN_STUDIO_WASM_CONV must be "direct", "phases" or "space-to-depth" \(or unset\), got "winograd"/);
  }, 60_000);

  it('refuses a bad thread count by name when wasm is forced', async () => {
    await expect(stepInChild('zero')).rejects.toThrow(/GAN_STUDIO_WASM_THREADS must be a whole number ≥ 1, got "zero"/);
  }, 60_000);
});
