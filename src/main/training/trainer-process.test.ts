/**
 * A real trainer child process (forked under tsx): a complete run directory,
 * and SIGKILL mid-epoch followed by a resume that loses and duplicates nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import type { TrainerCommand, TrainerEvent } from '../../shared/trainer-protocol';
import { listSamples, readRunMetrics, readRunRecord } from '../runs';
import { latestCompleteCheckpoint } from './checkpoint';
import { loadModelFromDir } from './models';
import { gridSize } from './sample-grid';
import type { TrainerConnection } from './trainer-connection';
import { spawnTrainerProcess } from './trainer-process';
import { writeSquaresDataset } from '../common/test-support';

let root: string;
let datasetDir: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'trainer-process-'));
  datasetDir = await writeSquaresDataset(join(root, 'dataset'), 20);
});

// 20 images, batch 8: 2 steps per epoch, 4 in all.
const config = resolveTrainingConfig({ preset: 'tiny', seed: 11, batchSize: 8, epochs: 2, gridRows: 2, gridCols: 3, earlySampleSteps: [1] });

/** Start a trainer; `onEvent` may act on the connection (e.g. kill it). Resolves at exit. */
function runProcess(command: TrainerCommand, onEvent: (event: TrainerEvent, trainer: TrainerConnection) => void = () => undefined) {
  const trainer = spawnTrainerProcess();
  const events: TrainerEvent[] = [];
  return new Promise<{ events: TrainerEvent[]; exit: { code: number | null; signal: string | null } }>((resolve) => {
    trainer.onEvent((event) => {
      events.push(event);
      onEvent(event, trainer);
    });
    trainer.onExit((exit) => resolve({ events, exit }));
    trainer.send(command);
  });
}

const lastStep = (events: TrainerEvent[]) => events.flatMap((e) => (e.type === 'steps' ? e.steps.map((s) => s.step) : []));

describe('trainer child process', () => {
  it('produces a complete run directory', async () => {
    const runDir = join(root, 'complete');
    const { events, exit } = await runProcess({ type: 'start', runDir, datasetDir, config, resume: false, backend: 'cpu' });
    expect(exit.code).toBe(0);
    expect(events[0]).toMatchObject({ type: 'started', backend: { name: 'cpu' }, stepsPerEpoch: 2 });
    expect(events.at(-1)).toMatchObject({ type: 'finished', reason: 'completed', epoch: 2, step: 4 });
    expect(lastStep(events)).toEqual([1, 2, 3, 4]);
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(2);

    const record = await readRunRecord(runDir);
    expect(record).toMatchObject({ status: 'completed', epoch: 2, step: 4, config: JSON.parse(JSON.stringify(config)), dataset: { dir: datasetDir } });
    const { steps, epochs } = await readRunMetrics(runDir);
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4]);
    for (const s of steps) for (const value of Object.values(s)) expect(Number.isFinite(value)).toBe(true);
    expect(epochs.map((e) => [e.epoch, e.step])).toEqual([[1, 2], [2, 4]]);

    const samples = await listSamples(runDir);
    expect(samples.map((s) => s.file)).toEqual(['samples/step-000001.png', 'samples/epoch-0001.png', 'samples/epoch-0002.png']);
    const meta = await sharp(join(runDir, samples[1]!.file)).metadata();
    expect(meta).toMatchObject({ format: 'png', ...gridSize(2, 3, 16) });

    const checkpoint = await latestCompleteCheckpoint(runDir);
    expect(checkpoint?.state).toMatchObject({ step: 4, completedEpochs: 2, stepInEpoch: 0, seed: 11 });
    const generator = await loadModelFromDir(join(checkpoint!.dir, 'generator'));
    const out = generator.predict(tf.zeros([1, config.latentDim])) as tf.Tensor;
    expect(out.shape).toEqual([1, 16, 16, 1]);
    tf.dispose(out);
    await expect(loadModelFromDir(join(checkpoint!.dir, 'discriminator'))).resolves.toBeDefined();
  });

  it('survives SIGKILL mid-epoch: resume loses nothing complete and duplicates nothing', async () => {
    const runDir = join(root, 'killed');
    // Three epochs (6 steps), so the kill lands well before the end even when steps are fast.
    const killedConfig = { ...config, epochs: 3 };
    const killed = await runProcess({ type: 'start', runDir, datasetDir, config: killedConfig, resume: false, backend: 'cpu' }, (event, trainer) => {
      // Step 3 is the first step of epoch 2, after epoch 1's checkpoint.
      if (event.type === 'steps' && event.steps.some((s) => s.step >= 3)) trainer.kill();
    });
    expect(killed.exit.signal).toBe('SIGKILL');
    const before = await readRunMetrics(runDir);
    expect(before.steps.length).toBeGreaterThanOrEqual(3);
    expect(before.steps.map((s) => s.step)).toEqual(before.steps.map((_, i) => i + 1));
    const checkpoint = (await latestCompleteCheckpoint(runDir))!;
    expect(checkpoint.state.step).toBeGreaterThanOrEqual(2);
    await expect(loadModelFromDir(join(checkpoint.dir, 'generator'))).resolves.toBeDefined();

    const resumed = await runProcess({ type: 'start', runDir, datasetDir, resume: true, backend: 'cpu' });
    expect(resumed.exit.code).toBe(0);
    expect(resumed.events[0]).toMatchObject({ type: 'started', startStep: checkpoint.state.step });
    expect(lastStep(resumed.events)[0]).toBe(checkpoint.state.step + 1);
    const after = await readRunMetrics(runDir);
    expect(after.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(after.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    // Steps that were complete before the kill and before the checkpoint are kept as they were.
    expect(after.steps.slice(0, checkpoint.state.step)).toEqual(before.steps.slice(0, checkpoint.state.step));
    expect((await readRunRecord(runDir)).status).toBe('completed');
    // Exact resume: the steps the uninterrupted run of the first test also trained carry the same numbers.
    const uninterrupted = (await readRunMetrics(join(root, 'complete'))).steps;
    const numbers = (steps: typeof uninterrupted) => steps.map(({ ms: _ms, ...rest }) => rest);
    expect(numbers(after.steps.slice(0, uninterrupted.length))).toEqual(numbers(uninterrupted));
  });

  it('obeys pause, resume and stop commands sent over the channel', async () => {
    const runDir = join(root, 'commands');
    let sentPause = false;
    let resumed = false;
    // Long enough that the commands always land mid-run; the stop ends it early.
    const long = { ...config, epochs: 50 };
    const { events, exit } = await runProcess({ type: 'start', runDir, datasetDir, config: long, resume: false, backend: 'cpu' }, (event, trainer) => {
      if (event.type === 'steps' && !sentPause) {
        sentPause = true;
        trainer.send({ type: 'pause' });
      }
      if (event.type === 'paused') {
        void readRunRecord(runDir).then((record) => {
          expect(record.status).toBe('paused');
          trainer.send({ type: 'resume' });
        });
      }
      if (event.type === 'resumed') {
        resumed = true;
        trainer.send({ type: 'stop' });
      }
    });
    expect(resumed).toBe(true);
    expect(exit.code).toBe(0);
    const finished = events.at(-1);
    expect(finished).toMatchObject({ type: 'finished', reason: 'stopped' });
    const stoppedAt = finished?.type === 'finished' ? finished.step : -1;
    expect(stoppedAt).toBeLessThan(100);
    expect((await latestCompleteCheckpoint(runDir))?.state.step).toBe(stoppedAt);
    expect(await readRunRecord(runDir)).toMatchObject({ status: 'stopped' });
  });
});
