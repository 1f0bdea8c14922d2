/**
 * Resume and extend past step 1,000, where Adam's β1-power has left float32's
 * range: with β1 = 0.5 it is 0 from step 149 on (such checkpoints were once
 * refused as damaged), with 0.9 a subnormal (0 where a GPU flushes them). The
 * generator's Adam runs at β1 0.5 and the discriminator's at 0.9, so every
 * session restores both.
 *
 * A run of 10 epochs (1,050 steps) finishes on wasm, the fastest backend. On
 * each backend, two copies of it are extended to 11 epochs: one in a single
 * session, the other stopped at step 1,100 and resumed — both must write the
 * same numbers, bit for bit, with a flat tensor count. On wasm the single
 * session must also match a run trained 11 epochs from the start, so the
 * extension itself is exact. (Training the 1,050 steps once, rather than
 * twice per backend, keeps llvmpipe's share to 210 steps.)
 */
import * as tf from '@tensorflow/tfjs';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendName } from '../../shared/backends';
import { resolveTrainingConfig } from '../../shared/config';
import type { EpochMetrics, StepMetrics } from '../../shared/metrics';
import type { TrainerEvent } from '../../shared/trainer-protocol';
import { readRunMetrics, readRunRecord } from '../runs';
import { checkWebgpuForTests, LLVMPIPE_TIMEOUT_MS } from '../backend/webgpu/test-availability';
import { checkpointName } from './checkpoint';
import { TrainingControl } from './control';
import { writeSquaresDataset } from '../common/test-support';
import { runTrainer, type StartCommand } from './trainer-run';

const webgpu = await checkWebgpuForTests();
const BACKENDS: BackendName[] = ['cpu', 'wasm', ...(webgpu.run ? (['webgpu'] as const) : [])];

// 210 images, batch 2: 105 steps an epoch; 10 epochs end at step 1,050, the 11th at 1,155.
const IMAGES = 210;
const FINISHED = 1_050;
const STOP_AT = 1_100;
const EXTENDED = 1_155;
const config = resolveTrainingConfig({
  preset: 'tiny',
  seed: 11,
  batchSize: 2,
  epochs: 10,
  generatorBeta1: 0.5,
  discriminatorBeta1: 0.9,
  gridRows: 1,
  gridCols: 1,
  earlySampleSteps: [],
  scoreEvery: 0,
});

let root: string;
let datasetDir: string;
/** The finished 10-epoch run every backend extends. */
let finished: string;
/** The same settings trained 11 epochs without a stop. */
let uninterrupted: string;

interface Session {
  end: Awaited<ReturnType<typeof runTrainer>>;
  /** The engine's tensor count after each step. */
  tensorCounts: number[];
}

/** One trainer session in this process; stops after global step `stopAfter` when given. */
async function session(command: Omit<StartCommand, 'type' | 'datasetDir'>, stopAfter?: number): Promise<Session> {
  const control = new TrainingControl();
  const tensorCounts: number[] = [];
  const onEvent = (event: TrainerEvent) => {
    if (event.type !== 'steps') return;
    tensorCounts.push(tf.memory().numTensors);
    if (stopAfter !== undefined && event.steps.some((s) => s.step >= stopAfter)) control.stop();
  };
  const end = await runTrainer({ type: 'start', datasetDir, ...command }, onEvent, control);
  return { end, tensorCounts };
}

/** Everything a step or epoch records except wall-clock time. */
const numbers = (records: (StepMetrics | EpochMetrics)[]) =>
  records.map((record) => Object.entries(record).filter(([key]) => !['ms', 'seconds', 'images_per_second'].includes(key)));

const betaPowers = async (runDir: string, step: number, optimizer: 'generator' | 'discriminator') =>
  (JSON.parse(await readFile(join(runDir, 'checkpoints', checkpointName(step), `${optimizer}-optimizer.json`), 'utf8')) as {
    betaPowers: { accBeta1: number };
  }).betaPowers;

function expectFlat(tensorCounts: number[]): void {
  expect(tensorCounts.length).toBeGreaterThan(0);
  expect(new Set(tensorCounts)).toEqual(new Set([tensorCounts[0]]));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'resume-long-'));
  datasetDir = await writeSquaresDataset(join(root, 'dataset'), IMAGES);
  finished = join(root, 'finished');
  const first = await session({ runDir: finished, config, resume: false, backend: 'wasm' });
  expect(first.end).toMatchObject({ type: 'finished', reason: 'completed', epoch: 10, step: FINISHED });
  expectFlat(first.tensorCounts);
  uninterrupted = join(root, 'uninterrupted');
  const whole = await session({ runDir: uninterrupted, config: { ...config, epochs: 11 }, resume: false, backend: 'wasm' });
  expect(whole.end).toMatchObject({ type: 'finished', reason: 'completed', epoch: 11, step: EXTENDED });
  expectFlat(whole.tensorCounts);
}, 2 * LLVMPIPE_TIMEOUT_MS);

it('the finished run is past both underflows: β1 0.5 has reached 0, β1 0.9 is below float32’s normal range', async () => {
  expect((await betaPowers(finished, FINISHED, 'generator')).accBeta1).toBe(0);
  expect((await betaPowers(finished, FINISHED, 'discriminator')).accBeta1).toBeLessThan(2 ** -126);
});

describe.each(BACKENDS)('a finished 1,050-step run extended on %s', (backend) => {
  it(
    'stopped at step 1,100 and resumed, it writes what one session writes, bit for bit',
    async () => {
      const single = join(root, `${backend}-single`);
      await cp(finished, single, { recursive: true });
      const whole = await session({ runDir: single, resume: true, epochs: 11, backend });
      expect(whole.end).toMatchObject({ type: 'finished', reason: 'completed', epoch: 11, step: EXTENDED });
      expectFlat(whole.tensorCounts);

      const stopped = join(root, `${backend}-stopped`);
      await cp(finished, stopped, { recursive: true });
      const first = await session({ runDir: stopped, resume: true, epochs: 11, backend }, STOP_AT);
      expect(first.end).toMatchObject({ type: 'finished', reason: 'stopped', epoch: 10, step: STOP_AT });
      expect((await betaPowers(stopped, STOP_AT, 'generator')).accBeta1).toBe(0);
      const second = await session({ runDir: stopped, resume: true, backend });
      expect(second.end).toMatchObject({ type: 'finished', reason: 'completed', epoch: 11, step: EXTENDED });
      expectFlat([...first.tensorCounts, ...second.tensorCounts]);

      expect(await readRunRecord(stopped)).toMatchObject({ status: 'completed', epoch: 11, step: EXTENDED, config: { epochs: 11 } });
      const expected = await readRunMetrics(single);
      const actual = await readRunMetrics(stopped);
      expect(actual.steps.map((s) => s.step)).toEqual(Array.from({ length: EXTENDED }, (_, i) => i + 1));
      expect(numbers(actual.steps)).toEqual(numbers(expected.steps));
      expect(numbers(actual.epochs)).toEqual(numbers(expected.epochs));
      // The extension itself is exact: on the backend that trained the first 1,050 steps, as if never stopped.
      if (backend === 'wasm') {
        const reference = await readRunMetrics(uninterrupted);
        expect(numbers(expected.steps)).toEqual(numbers(reference.steps));
        expect(numbers(expected.epochs)).toEqual(numbers(reference.epochs));
      }
    },
    backend === 'webgpu' ? LLVMPIPE_TIMEOUT_MS : undefined,
  );
});

describe('a refused extension', () => {
  it.each([
    ['a length below the 10 epochs done', 5, /Cannot resume .* for 5 epochs: its checkpoint step-00001050 has 10 done\. Give 11 or more epochs/],
    ['a length of 0 epochs', 0, /Cannot resume .* for 0 epochs: the length in epochs must be at least 1\./],
  ])('leaves the finished run as it was (%s)', async (_name, epochs, message) => {
    const runDir = join(root, `refused-${epochs}`);
    await cp(finished, runDir, { recursive: true });
    const record = await readFile(join(runDir, 'run.json'), 'utf8');
    const { end } = await session({ runDir, resume: true, epochs, backend: 'wasm' });
    expect(end).toMatchObject({ type: 'failed', kind: 'bad-input', refused: true });
    expect(end.type === 'failed' && end.error.message).toMatch(message);
    expect(await readFile(join(runDir, 'run.json'), 'utf8')).toBe(record);
  });
});
