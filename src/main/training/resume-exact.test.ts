/**
 * Resume is exact: a run stopped and resumed three times writes the same
 * numbers, bit for bit, as the same run never interrupted, on one backend.
 * Every stop lands at a different place (mid-epoch, at an epoch boundary), so
 * each restore path — Adam's moments and β-powers, BatchNorm statistics,
 * counters, carried epoch means — is exercised.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendName } from '../../shared/backends';
import { resolveTrainingConfig } from '../../shared/config';
import type { EpochMetrics, StepMetrics } from '../../shared/metrics';
import { readRunMetrics } from '../runs';
import { TrainingControl } from './control';
import { writeSquaresDataset } from '../common/test-support';
import { runTrainer } from './trainer-run';

let root: string;
let datasetDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'resume-exact-'));
  datasetDir = await writeSquaresDataset(join(root, 'dataset'), 24);
});

// 24 images, batch 8: 3 steps per epoch, 12 steps in all.
const config = resolveTrainingConfig({ preset: 'tiny', seed: 5, batchSize: 8, epochs: 4, gridRows: 1, gridCols: 2, earlySampleSteps: [] });

/** Train `runDir` (resuming when asked) and stop after global step `stopAfter`, if given. */
async function session(runDir: string, backend: BackendName, resume: boolean, stopAfter?: number) {
  const control = new TrainingControl();
  const end = await runTrainer(
    { type: 'start', runDir, datasetDir, config: resume ? undefined : config, resume, backend },
    (event) => {
      if (stopAfter !== undefined && event.type === 'steps' && event.steps.some((s) => s.step >= stopAfter)) control.stop();
    },
    control,
  );
  expect(end.type).toBe('finished');
  return end;
}

/** Everything a step or epoch records except wall-clock time. */
const numbers = (records: (StepMetrics | EpochMetrics)[]) =>
  records.map((record) => Object.entries(record).filter(([key]) => !['ms', 'seconds', 'images_per_second'].includes(key)));

describe.each(['cpu', 'wasm'] as const)('exact resume on %s', (backend) => {
  it('three stops and resumes give the same metrics as an uninterrupted run, bit for bit', async () => {
    const reference = join(root, `${backend}-reference`);
    await session(reference, backend, false);
    const interrupted = join(root, `${backend}-interrupted`);
    // Mid-epoch 1, at the end of epoch 2's first step, exactly at the epoch 3 boundary.
    await session(interrupted, backend, false, 2);
    await session(interrupted, backend, true, 4);
    await session(interrupted, backend, true, 9);
    await session(interrupted, backend, true);

    const expected = await readRunMetrics(reference);
    const actual = await readRunMetrics(interrupted);
    expect(actual.steps.map((s) => s.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(numbers(actual.steps)).toEqual(numbers(expected.steps));
    expect(numbers(actual.epochs)).toEqual(numbers(expected.epochs));
  });
});
