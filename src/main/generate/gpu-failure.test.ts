/**
 * Generating on webgpu (llvmpipe in CI) when the GPU fails: WebGPU only
 * reports a lost device or an out-of-memory error, so without the device
 * watch the job would write garbage. Here it fails with what happened and
 * writes nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportError } from '../export/errors';
import { selectBackend } from '../backend';
import { checkWebgpuForTests, LLVMPIPE_TIMEOUT_MS } from '../backend/webgpu/test-availability';
import { runGenerateJob } from './generate';
import { trainTinyRun } from './test-support';

const availability = await checkWebgpuForTests();

/** The parts of GPUDevice the tests use to make it fail. */
interface TestDevice {
  destroy(): void;
  createBuffer(descriptor: { size: number; usage: number }): { destroy(): void };
  limits: { maxBufferSize: number };
}
const STORAGE_USAGE = 0x80; // GPUBufferUsage.STORAGE
const device = () => (tf.backend() as unknown as { device: TestDevice }).device;

let root: string;
let runDir: string;

beforeAll(async () => {
  if (!availability.run) return;
  root = await mkdtemp(join(tmpdir(), 'generate-gpu-failure-'));
  runDir = join(root, 'run');
  await trainTinyRun(runDir, { epochs: 1 });
  await selectBackend({ forced: 'webgpu' });
}, LLVMPIPE_TIMEOUT_MS);
afterAll(() => (root ? rm(root, { recursive: true, force: true }) : undefined));

describe.skipIf(!availability.run)('generating when the GPU fails (webgpu)', () => {
  it('draws on webgpu while the device is healthy', async () => {
    const out = join(root, 'ok.png');
    await runGenerateJob({ runDir, spec: { kind: 'grid', seed: 1, count: 4 }, out });
    expect(existsSync(out)).toBe(true);
  }, LLVMPIPE_TIMEOUT_MS);

  it('an allocation the GPU refuses fails the job as out of memory, writing nothing', async () => {
    const out = join(root, 'oom');
    const job = runGenerateJob({ runDir, spec: { kind: 'images', seed: 1, count: 4 }, out }, {
      // Reported by WebGPU as an uncapturederror, never thrown: the watch must catch it.
      onProgress: (progress) => {
        if (progress.done === 0) device().createBuffer({ size: device().limits.maxBufferSize + 1, usage: STORAGE_USAGE });
      },
    });
    await expect(job).rejects.toBeInstanceOf(ExportError);
    await expect(job).rejects.toThrow(/^The GPU ran out of memory while generating; nothing was written\./);
    expect(existsSync(out)).toBe(false);
  }, LLVMPIPE_TIMEOUT_MS);

  it('a lost device fails the job with the reason, writing nothing', async () => {
    device().destroy();
    const out = join(root, 'lost.png');
    const job = runGenerateJob({ runDir, spec: { kind: 'grid', seed: 2, count: 4 }, out });
    await expect(job).rejects.toThrow(/^The GPU stopped working while generating; nothing was written\. .*lost its device/);
    await expect(job).rejects.toMatchObject({ hint: expect.stringMatching(/GAN_STUDIO_BACKEND=wasm/) });
    expect(existsSync(out)).toBe(false);
  }, LLVMPIPE_TIMEOUT_MS);
});
