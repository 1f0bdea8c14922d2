/**
 * Training on the webgpu backend (llvmpipe in CI), in-process: the backend
 * passes the gradient smoke test when forced; a seeded run — with and without
 * every recipe — writes the losses a cpu run writes; and fifty steps leave the
 * tensor count and the GPU memory held by tensors where they were.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainingConfigInput } from '../../shared/config';
import type { DatasetManifest } from '../../shared/dataset';
import { resolveTrainingConfig } from '../../shared/config';
import type { TrainerEvent } from '../../shared/trainer-protocol';
import { readRunJsonl, readRunMetrics } from '../runs';
import { TrainingControl } from './control';
import { writeSquaresDataset } from '../common/test-support';
import { runTrainer } from './trainer-run';
import { selectBackend } from '../backend/select';
import { runGradientSmoke } from '../backend/smoke';
import { checkWebgpuForTests, LLVMPIPE_TIMEOUT_MS } from '../backend/webgpu/test-availability';

const availability = await checkWebgpuForTests();

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'webgpu-training-'));
});

/** Every recipe the step has, so each of their kernels runs on webgpu. */
const EVERY_RECIPE: TrainingConfigInput = {
  loss: 'least-squares',
  labelSmoothing: 0.1,
  instanceNoise: 0.1,
  diffAugment: ['color', 'translation', 'cutout'],
  emaDecay: 0.9,
  spectralNorm: true,
  r1Gamma: 1,
};

/** Train a fresh run in-process on `backend`; `onEvent` sees every event. */
async function train(
  runDir: string,
  datasetDir: string,
  input: TrainingConfigInput,
  backend: 'webgpu' | 'cpu',
  onEvent: (event: TrainerEvent) => void = () => undefined,
) {
  const config = resolveTrainingConfig({ preset: 'tiny', batchSize: 8, gridRows: 1, gridCols: 2, earlySampleSteps: [1], ...input });
  const end = await runTrainer({ type: 'start', runDir, datasetDir, config, resume: false, backend }, onEvent, new TrainingControl());
  expect(end, JSON.stringify(end)).toMatchObject({ type: 'finished', reason: 'completed' });
  return readRunMetrics(runDir);
}

describe.skipIf(!availability.run)('the webgpu backend', () => {
  it('passes the gradient smoke test when forced, and names the adapter', async () => {
    const report = await selectBackend({ forced: 'webgpu' });
    expect(report.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(report.device).toBe(availability.run && availability.adapter);
    expect(report.device).toMatch(/^GPU \(WebGPU: .+; (software|hardware) adapter\)$/);
    // Far inside the tolerance: float32 on any adapter, not TF32.
    expect(await runGradientSmoke()).toBeLessThan(1e-5);
  });

  it.runIf(availability.run && availability.adapter.endsWith('software adapter)'))('auto skips a software adapter and says why (each front end says how to force it: doctor tests)', async () => {
    const report = await selectBackend();
    expect(report.name).not.toBe('webgpu');
    expect(report.skipped.find((skip) => skip.name === 'webgpu')?.reason).toMatch(/^only a software adapter \(.+\): slower than wasm$/);
  });
});

describe.skipIf(!availability.run)('a seeded run on webgpu against cpu', () => {
  let datasetDir: string;
  beforeAll(async () => {
    datasetDir = await writeSquaresDataset(join(root, 'squares-24'), 24);
    // Labelled (by parity), so the score hook trains the dataset's classifier — on webgpu, the first run; cpu reuses it from the cache.
    const manifest = JSON.parse(await readFile(join(datasetDir, 'manifest.json'), 'utf8')) as DatasetManifest;
    await writeFile(join(datasetDir, 'labels.u8'), Uint8Array.from({ length: 24 }, (_, i) => i % 2));
    await writeFile(join(datasetDir, 'manifest.json'), JSON.stringify({ ...manifest, hasLabels: true, classNames: ['even', 'odd'], classCounts: [12, 12] }));
  });

  // 24 images, batch 8: 3 steps an epoch, 6 in all, with sample grids, scores and checkpoints each epoch.
  it.each([
    ['plain-step', {}],
    ['every-recipe', EVERY_RECIPE],
  ] as const)('%s: the same losses and accuracies to 3 decimals, the same scores', async (name, recipes) => {
    const input = { seed: 5, epochs: 2, ...recipes };
    const gpu = await train(join(root, `${name}-webgpu`), datasetDir, input, 'webgpu');
    const cpu = await train(join(root, `${name}-cpu`), datasetDir, input, 'cpu');
    expect(gpu.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    gpu.steps.forEach((step, i) => {
      const reference = cpu.steps[i]!;
      for (const key of ['gen_loss', 'disc_loss', 'real_accuracy', 'fake_accuracy'] as const) {
        expect(step[key], `step ${step.step} ${key}`).toBeCloseTo(reference[key], 3);
      }
    });
    // The scores sample G on the backend and read back asynchronously; the classifier gives FID and recognisable %.
    const [gpuScores, cpuScores] = [(await readRunJsonl(join(root, `${name}-webgpu`), 'scores')).records, (await readRunJsonl(join(root, `${name}-cpu`), 'scores')).records];
    expect(gpuScores).toHaveLength(2);
    gpuScores.forEach((record, i) => {
      const reference = cpuScores[i]!.scores;
      expect(Object.keys(record.scores).sort()).toEqual(Object.keys(reference).sort());
      expect(record.scores).toHaveProperty('fid');
      for (const [score, value] of Object.entries(record.scores)) {
        const expected = reference[score as keyof typeof reference]!.value;
        expect(Math.abs(value!.value - expected), `epoch ${record.epoch} ${score}`).toBeLessThanOrEqual(1e-3 * Math.abs(expected) + 1e-3);
      }
    });
  }, LLVMPIPE_TIMEOUT_MS);
});

/** tf.memory() on webgpu: numBytesInGPU is what live tensors hold; numBytesAllocatedInGPU adds the free-buffer pool. */
type WebgpuMemory = tf.MemoryInfo & { numBytesInGPU: number; numBytesAllocatedInGPU: number };

describe.skipIf(!availability.run)('memory on webgpu', () => {
  it('fifty steps with every recipe keep the tensor count and the GPU bytes held by tensors flat', async () => {
    // 40 images, batch 8: 5 steps an epoch, 10 epochs; every epoch end samples, scores and (every 5th) checkpoints.
    const datasetDir = await writeSquaresDataset(join(root, 'squares-40'), 40);
    await selectBackend({ forced: 'webgpu' });
    const before = tf.memory().numTensors;
    const atSteps: WebgpuMemory[] = [];
    const input = { seed: 9, epochs: 10, checkpointEvery: 5, ...EVERY_RECIPE };
    const { steps } = await train(join(root, 'memory'), datasetDir, input, 'webgpu', (event) => {
      if (event.type === 'steps') atSteps.push(tf.memory() as WebgpuMemory);
    });
    expect(steps).toHaveLength(50);
    for (const step of steps) expect(Number.isFinite(step.gen_loss) && Number.isFinite(step.disc_loss)).toBe(true);
    expect(atSteps).toHaveLength(50);
    expect(atSteps[0]!.numBytesInGPU).toBeGreaterThan(0); // the counter is live on this backend
    // From the first step on (it creates Adam's moments) nothing is added: not by steps, grids, scores or checkpoints.
    expect(new Set(atSteps.map((m) => m.numTensors))).toEqual(new Set([atSteps[0]!.numTensors]));
    expect(new Set(atSteps.map((m) => m.numBytesInGPU))).toEqual(new Set([atSteps[0]!.numBytesInGPU]));
    // The pool of free buffers may take new sizes (an epoch's first scores), but does not grow step by step.
    const growths = atSteps.slice(5).filter((m, i) => m.numBytesAllocatedInGPU > atSteps[i + 4]!.numBytesAllocatedInGPU).length;
    expect(growths).toBeLessThanOrEqual(5);
    // The session disposed of all it made.
    expect(tf.memory().numTensors).toBe(before);
  }, LLVMPIPE_TIMEOUT_MS);
});
