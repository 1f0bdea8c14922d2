/**
 * A GPU that fails mid-run, for real on a WebGPU adapter (llvmpipe in CI):
 * the device destroyed between steps, and a buffer the GPU cannot allocate
 * (WebGPU only reports it; tfjs would go on computing on garbage). Each run
 * stops as a resumable failure with its kind, run.json says so, no
 * checkpoint is written from the failed GPU, the message names the
 * checkpoint a resume continues from — and the lost run resumes on wasm to
 * the end with every step before that checkpoint kept as it was.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import type { BackendName } from '../../shared/backends';
import type { TrainerEvent } from '../../shared/trainer-protocol';
import { readRunMetrics, readRunRecord } from '../runs';
import { selectBackend } from '../backend';
import { GpuDeviceWatch, watchActiveGpuDevice, type WatchedDevice } from './device-watch';
import { TrainingControl } from './control';
import { writeSquaresDataset } from '../common/test-support';
import { checkWebgpuForTests } from '../backend/webgpu/test-availability';
import { runTrainer } from './trainer-run';

/** The parts of GPUDevice the tests use to make it fail. */
interface TestDevice {
  destroy(): void;
  createBuffer(descriptor: { size: number; usage: number }): unknown;
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
}
const STORAGE_USAGE = 0x80; // GPUBufferUsage.STORAGE

const availability = await checkWebgpuForTests();
const adapter = availability.run ? availability.adapter : undefined;
let root: string;
let datasetDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gpu-failure-'));
  datasetDir = await writeSquaresDataset(join(root, 'dataset'), 16);
});
afterAll(() => rm(root, { recursive: true, force: true }));

// 16 images, batch 8: two steps an epoch; checkpoints after every epoch.
const config = resolveTrainingConfig({ preset: 'tiny', seed: 5, batchSize: 8, epochs: 3, gridRows: 1, gridCols: 2, earlySampleSteps: [], scoreEvery: 0 });

function train(runDir: string, backend: BackendName, options: { resume?: boolean; onEvent?: (event: TrainerEvent) => void } = {}) {
  const resume = options.resume ?? false;
  return runTrainer({ type: 'start', runDir, datasetDir, config: resume ? undefined : config, resume, backend }, options.onEvent ?? (() => undefined), new TrainingControl());
}

/** The device tfjs trains on now (the trainer selected webgpu). */
function trainingDevice(): TestDevice {
  expect(tf.getBackend()).toBe('webgpu');
  return (tf.backend() as unknown as { device: TestDevice }).device;
}

const stepOf = (event: TrainerEvent) => (event.type === 'steps' ? event.steps.at(-1)!.step : undefined);

describe.skipIf(!adapter)(`a GPU failing mid-run (${adapter ?? 'no adapter'})`, () => {
  // First: this one leaves the device working for the next.
  it('an allocation the GPU refuses stops the run as out-of-memory before the epoch is checkpointed', async () => {
    const runDir = join(root, 'oom');
    const end = await train(runDir, 'webgpu', {
      onEvent: (event) => {
        // Epoch 2's sample grid (its end, before its checkpoint) is followed by a buffer as large as the
        // device allows: llvmpipe cannot back it (GPUOutOfMemoryError, the first error, which counts). A GPU
        // that can gets it (freed at once), and then one past its limit (a validation error).
        if (event.type !== 'sample' || event.epoch !== 2) return;
        const device = trainingDevice();
        (device.createBuffer({ size: device.limits.maxBufferSize, usage: STORAGE_USAGE }) as { destroy(): void }).destroy();
        device.createBuffer({ size: device.limits.maxBufferSize + 1, usage: STORAGE_USAGE });
      },
    });
    expect(end).toMatchObject({ type: 'failed', kind: 'out-of-memory' });
    const message = end.type === 'failed' ? end.error.message : '';
    expect(message).toMatch(/^(Out of GPU memory: WebGPU could not allocate a buffer|A tensor is too large for this GPU) \(.+\)\. Try a smaller batch size.*\.\nNo checkpoint was written now/);
    // What llvmpipe reports: a real GPUOutOfMemoryError from vkCreateBuffer.
    if (adapter!.includes('llvmpipe')) expect(message).toMatch(/^Out of GPU memory: WebGPU could not allocate a buffer \(vkCreateBuffer failed with VK_ERROR_OUT_OF_DEVICE_MEMORY\)/);
    expect(message).toMatch(/Resuming continues from checkpoint step-00000002 \(end of epoch 1, step 2\)/);
    expect(message).toContain(`gan-studio train --resume ${runDir} --backend wasm`);
    expect(await readRunRecord(runDir)).toMatchObject({ status: 'failed', failure: { kind: 'out-of-memory', message } });
    // Epoch 2 (step 4) would have been checkpointed after its grid: the failure stopped it first.
    expect(await readdir(join(runDir, 'checkpoints'))).toEqual(['step-00000002']);
    expect((await readRunMetrics(runDir)).steps.map((s) => s.step)).toEqual([1, 2, 3, 4]);
  });

  it('a tensor over the GPU binding limit: tfjs sums garbage without a word, the watch reports it as out-of-memory', async () => {
    await selectBackend({ forced: 'webgpu' });
    const limit = trainingDevice().limits.maxStorageBufferBindingSize;
    // 128 MiB on llvmpipe; a GPU with a far larger limit would need that much memory for this test.
    if (limit > 256 * 2 ** 20) return console.warn(`skipped: maxStorageBufferBindingSize is ${limit} bytes here`);
    const watch = watchActiveGpuDevice()!;
    try {
      const count = limit / 4 + 16;
      const ones = tf.ones([count]);
      const total = tf.sum(ones);
      const [value] = await total.data();
      tf.dispose([ones, total]);
      expect(value).not.toBe(count); // garbage: what training would go on with
      expect(watch.failure?.kind).toBe('out-of-memory');
      expect(watch.failure?.message).toMatch(/^A tensor is too large for this GPU \(Binding size \(\d+\) .* larger than the maximum storage buffer binding size \(\d+\)\.\)/);
      expect(() => watch.check()).toThrow(watch.failure);
    } finally {
      watch.dispose();
    }
  });

  it('a readback rejected because the device was lost is explained as gpu-device-lost; other errors stay as they are', async () => {
    // A device of its own, so tfjs's stays usable for the next test.
    const gpu = (globalThis as unknown as { navigator: { gpu: { requestAdapter(): Promise<{ requestDevice(): Promise<WatchedDevice & TestDevice> }> } } }).navigator.gpu;
    const device = await (await gpu.requestAdapter()).requestDevice();
    const watch = new GpuDeviceWatch(device);
    try {
      const buffer = device.createBuffer({ size: 4, usage: 0x1 /* GPUBufferUsage.MAP_READ */ }) as { mapAsync(mode: number): Promise<void> };
      const read = buffer.mapAsync(0x1 /* GPUMapMode.READ */);
      device.destroy();
      const rejection = await read.then(() => new Error('the readback was not rejected'), (error: unknown) => error);
      const explained = await watch.explain(rejection);
      expect(explained).toBe(watch.failure);
      expect(explained).toMatchObject({ kind: 'gpu-device-lost', message: expect.stringMatching(/WebGPU lost its device \(the device was destroyed/) });
      // Anything thrown without a GPU failure stays what it was.
      const other = await (await gpu.requestAdapter()).requestDevice();
      const healthy = new GpuDeviceWatch(other);
      const plain = new Error('disk trouble');
      expect(await healthy.explain(plain)).toBe(plain);
      healthy.dispose();
      other.destroy();
    } finally {
      watch.dispose();
    }
  });

  it('a lost device stops the run as gpu-device-lost; it resumes on wasm from the last checkpoint to the end', async () => {
    const runDir = join(root, 'lost');
    const end = await train(runDir, 'webgpu', { onEvent: (event) => stepOf(event) === 5 && trainingDevice().destroy() });
    expect(end).toMatchObject({ type: 'failed', kind: 'gpu-device-lost' });
    const message = end.type === 'failed' ? end.error.message : '';
    expect(message).toMatch(/^The GPU stopped working during training: WebGPU lost its device \(the device was destroyed; reason "destroyed": .+\)\.\n/);
    expect(message).toMatch(/No checkpoint was written now: .* Resuming continues from checkpoint step-00000004 \(end of epoch 2, step 4\); the steps after it are trained again\./);
    expect(message).toContain(`gan-studio train --resume ${runDir} --backend wasm`);
    expect(await readRunRecord(runDir)).toMatchObject({ status: 'failed', failure: { kind: 'gpu-device-lost', message } });
    expect(await readdir(join(runDir, 'checkpoints'))).toEqual(['step-00000002', 'step-00000004']);
    const before = (await readRunMetrics(runDir)).steps;
    expect(before.map((s) => s.step)).toEqual([1, 2, 3, 4, 5]);

    const resumed = await train(runDir, 'wasm', { resume: true });
    expect(resumed).toMatchObject({ type: 'finished', reason: 'completed', epoch: 3, step: 6 });
    const record = await readRunRecord(runDir);
    expect(record).toMatchObject({ status: 'completed', backend: { name: 'wasm' } });
    expect(record.failure).toBeUndefined();
    const after = (await readRunMetrics(runDir)).steps;
    expect(after.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    // Nothing before the checkpoint changed; step 5 was trained again (on wasm).
    expect(after.slice(0, 4)).toEqual(before.slice(0, 4));
  });
});
