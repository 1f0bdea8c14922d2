/**
 * The trainer session in-process (cpu backend): leak check, reproducibility,
 * exact continuation after stop + resume, pause, NaN and bad input.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainingConfigInput } from '../../shared/config';
import { resolveTrainingConfig } from '../../shared/config';
import type { TrainerEvent } from '../../shared/trainer-protocol';
import { readRunMetrics, readRunRecord } from '../runs';
import { acquireRunLock, RUN_LOCK_FILE } from '../runs/run-lock';
import { latestCompleteCheckpoint } from './checkpoint';
import { listCheckpointFiles } from './checkpoint-integrity';
import { TrainingControl } from './control';
import { runTrainer } from './trainer-run';
import { writeSquaresDataset } from '../common/test-support';

let root: string;
let datasetDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'trainer-run-'));
  datasetDir = await writeSquaresDataset(join(root, 'dataset'), 20);
});

// 20 images, batch 8: 2 steps per epoch (the last 4 images dropped), 6 steps in all.
const tinyConfig = (extra: TrainingConfigInput = {}) =>
  resolveTrainingConfig({ preset: 'tiny', seed: 7, batchSize: 8, epochs: 3, gridRows: 2, gridCols: 2, earlySampleSteps: [1], ...extra });

async function train(runDir: string, options: { config?: TrainingConfigInput; resume?: boolean; control?: TrainingControl; onEvent?: (e: TrainerEvent) => void } = {}) {
  const events: TrainerEvent[] = [];
  const control = options.control ?? new TrainingControl();
  const end = await runTrainer(
    { type: 'start', runDir, datasetDir, config: options.resume ? undefined : tinyConfig(options.config), resume: options.resume ?? false, backend: 'cpu' },
    (event) => {
      events.push(event);
      options.onEvent?.(event);
    },
    control,
  );
  return { end, events };
}

const losses = (steps: { gen_loss: number; disc_loss: number }[]) => steps.map((s) => [s.gen_loss, s.disc_loss]);

describe('runTrainer', () => {
  let referenceDir = '';

  it('trains a tiny run with a flat tensor count from epoch 1 to epoch N', async () => {
    referenceDir = join(root, 'reference');
    const tensorsAfterEpoch: number[] = [];
    const { end, events } = await train(referenceDir, { onEvent: (e) => e.type === 'epoch' && tensorsAfterEpoch.push(tf.memory().numTensors) });
    expect(end).toMatchObject({ type: 'finished', reason: 'completed', epoch: 3, step: 6 });
    expect(tensorsAfterEpoch).toHaveLength(3);
    expect(new Set(tensorsAfterEpoch).size).toBe(1);
    expect(events[0]).toMatchObject({ type: 'started', totalEpochs: 3, stepsPerEpoch: 2, startStep: 0 });
    expect(events.filter((e) => e.type === 'sample').map((e) => e.type === 'sample' && e.file)).toEqual([
      'samples/step-000001.png',
      'samples/epoch-0001.png',
      'samples/epoch-0002.png',
      'samples/epoch-0003.png',
    ]);
    expect(await readRunRecord(referenceDir)).toMatchObject({ status: 'completed', epoch: 3, step: 6, backend: { name: 'cpu' } });
  });

  it('draws a live grid within an epoch once the interval of training has passed', async () => {
    const runDir = join(root, 'live-grids');
    process.env['GAN_STUDIO_LIVE_GRID_SECONDS'] = '0.000001';
    try {
      const { events } = await train(runDir, { config: { epochs: 1, earlySampleSteps: [] } });
      // Both steps of the epoch draw a step grid (the interval is a microsecond), then the epoch grid.
      expect(events.filter((e) => e.type === 'sample').map((e) => e.type === 'sample' && e.file)).toEqual([
        'samples/step-000001.png',
        'samples/step-000002.png',
        'samples/epoch-0001.png',
      ]);
    } finally {
      process.env['GAN_STUDIO_LIVE_GRID_SECONDS'] = '0';
    }
  });

  it('is reproducible on cpu (even across a pause), and the seed matters', async () => {
    const control = new TrainingControl();
    const runDir = join(root, 'again');
    let statusWhilePaused = '';
    const { events } = await train(runDir, {
      control,
      onEvent: (e) => {
        if (e.type === 'steps' && e.steps[0]!.step === 1) control.pause();
        if (e.type === 'paused') {
          setTimeout(() => {
            void readRunRecord(runDir).then((record) => {
              statusWhilePaused = record.status;
              control.resume();
            });
          }, 50);
        }
      },
    });
    expect(events.map((e) => e.type).filter((t) => t === 'paused' || t === 'resumed')).toEqual(['paused', 'resumed']);
    expect(statusWhilePaused).toBe('paused');
    const a = await readRunMetrics(referenceDir);
    const b = await readRunMetrics(runDir);
    expect(a.steps).toHaveLength(6);
    expect(losses(b.steps)).toEqual(losses(a.steps));

    const otherSeed = join(root, 'other-seed');
    await train(otherSeed, { config: { seed: 8, epochs: 1 } });
    expect(losses((await readRunMetrics(otherSeed)).steps)).not.toEqual(losses(a.steps.slice(0, 2)));
  });

  it('stops mid-epoch with a checkpoint and resumes the same schedule', async () => {
    const expected = await readRunMetrics(referenceDir);
    const runDir = join(root, 'stop-resume');
    const control = new TrainingControl();
    const first = await train(runDir, { control, onEvent: (e) => e.type === 'steps' && e.steps[0]!.step === 3 && control.stop() });
    expect(first.end).toMatchObject({ type: 'finished', reason: 'stopped', epoch: 1, step: 3 });
    expect((await latestCompleteCheckpoint(runDir))?.state).toMatchObject({ step: 3, completedEpochs: 1, stepInEpoch: 1 });
    expect((await readRunRecord(runDir)).status).toBe('stopped');

    const second = await train(runDir, { resume: true });
    expect(second.events[0]).toMatchObject({ type: 'started', startEpoch: 1, startStep: 3 });
    expect(second.end).toMatchObject({ type: 'finished', reason: 'completed', step: 6 });
    const resumed = await readRunMetrics(runDir);
    expect(resumed.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(resumed.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    // Same batches, noise and optimizer state: the same numbers exactly (see resume-exact.test.ts).
    expect(losses(resumed.steps)).toEqual(losses(expected.steps));
    // Epoch 2's means span the stop: its first step came from before the resume.
    expect(resumed.epochs[1]!.gen_loss).toBe(expected.epochs[1]!.gen_loss);
  });

  it('fails with kind "nan" naming the step when the weights go non-finite', async () => {
    const runDir = join(root, 'nan');
    const control = new TrainingControl();
    await train(runDir, { config: { epochs: 2 }, control, onEvent: (e) => e.type === 'epoch' && control.stop() });
    const checkpoint = (await latestCompleteCheckpoint(runDir))!;
    // Poison the generator's weights as a diverged checkpoint would be.
    const weightsFile = join(checkpoint.dir, 'generator', 'weights.bin');
    const weights = new Float32Array(new Uint8Array(await readFile(weightsFile)).buffer);
    await writeFile(weightsFile, new Uint8Array(weights.map(() => Number.NaN).buffer));
    // As if saved so: the checkpoint's file list must agree, or resume would reject it as damaged.
    const stateFile = join(checkpoint.dir, 'state.json');
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as object;
    await writeFile(stateFile, JSON.stringify({ ...state, files: await listCheckpointFiles(checkpoint.dir) }));
    const { end } = await train(runDir, { resume: true });
    expect(end).toMatchObject({ type: 'failed', kind: 'nan' });
    expect(end.type === 'failed' && end.error.message).toMatch(/diverged at step 3 \(epoch 2\).*gen_loss = NaN/);
    expect(await readRunRecord(runDir)).toMatchObject({ status: 'failed', failure: { kind: 'nan' } });
    // Accepted, then failed: not a refusal (the parent keeps the trainer's `failed`).
    expect(end).not.toHaveProperty('refused');
    expect((await readRunMetrics(runDir)).steps.map((s) => s.step)).toEqual([1, 2]);
  });

  it('refuses a run another live trainer holds, and leaves its run.json alone', async () => {
    expect(existsSync(join(referenceDir, RUN_LOCK_FILE))).toBe(false); // released after the session
    const lock = await acquireRunLock(referenceDir);
    try {
      const { end } = await train(referenceDir, { resume: true });
      // Refused: nothing was written, and the event says so, so the studio keeps the run's status too.
      expect(end).toMatchObject({ type: 'failed', kind: 'bad-input', refused: true });
      expect(end.type === 'failed' && end.error.message).toMatch(/is already being trained \(process \d+/);
      expect(await readRunRecord(referenceDir)).toMatchObject({ status: 'completed', step: 6 });
    } finally {
      await lock.release();
    }
  });

  it('refuses a dataset of the wrong size with a bad-input message', async () => {
    const other = await writeSquaresDataset(join(root, 'dataset-28'), 4, 28);
    const end = await runTrainer(
      { type: 'start', runDir: join(root, 'bad'), datasetDir: other, config: tinyConfig(), resume: false, backend: 'cpu' },
      () => undefined,
      new TrainingControl(),
    );
    expect(end).toMatchObject({ type: 'failed', kind: 'bad-input' });
    expect(end.type === 'failed' && end.error.message).toMatch(/expects 16×16×1 images, got 28×28×1/);
  });
});
