/**
 * One run across backends in real trainer processes: paused, resumed and
 * stopped (with a checkpoint) on webgpu, resumed on wasm and stopped there,
 * finished on webgpu again. Every step is written once, in order, and the
 * metrics are those of the same run trained uninterrupted on cpu.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendName } from '../../shared/backends';
import { resolveTrainingConfig } from '../../shared/config';
import type { TrainerEvent } from '../../shared/trainer-protocol';
import { readRunMetrics, readRunRecord } from '../runs';
import { latestCompleteCheckpoint } from './checkpoint';
import { TrainingControl } from './control';
import { writeSquaresDataset } from '../common/test-support';
import type { TrainerConnection } from './trainer-connection';
import { spawnTrainerProcess } from './trainer-process';
import { runTrainer } from './trainer-run';
import { checkWebgpuForTests, LLVMPIPE_TIMEOUT_MS } from '../backend/webgpu/test-availability';

const availability = await checkWebgpuForTests();

let root: string;
let datasetDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'webgpu-resume-'));
  datasetDir = await writeSquaresDataset(join(root, 'dataset'), 40);
});

// 40 images, batch 4: 10 steps an epoch, 30 in all — room for a pause to land mid-run on fast wasm.
const config = resolveTrainingConfig({ preset: 'tiny', seed: 13, batchSize: 4, epochs: 3, gridRows: 1, gridCols: 2, earlySampleSteps: [] });

/** After the first step at or past `at`: pause, then (once run.json says paused) send `then`. */
type PausePlan = { at: number; then: 'resume' | 'stop' }[];

interface Session {
  events: TrainerEvent[];
  code: number | null;
  /** run.json's status read at each pause. */
  statusesWhilePaused: string[];
}

/** One real trainer process on `backend`, steered by `plan`; resolves at its exit. */
function session(runDir: string, backend: BackendName, resume: boolean, plan: PausePlan = []): Promise<Session> {
  const trainer = spawnTrainerProcess();
  const result: Session = { events: [], code: null, statusesWhilePaused: [] };
  const pending = [...plan];
  let pausing: PausePlan[number] | undefined;
  const onEvent = (event: TrainerEvent, connection: TrainerConnection) => {
    result.events.push(event);
    const next = pending[0];
    if (event.type === 'steps' && next && !pausing && event.steps.some((s) => s.step >= next.at)) {
      pausing = pending.shift();
      connection.send({ type: 'pause' });
    }
    if (event.type === 'paused' && pausing) {
      const { then } = pausing;
      void readRunRecord(runDir).then((record) => {
        result.statusesWhilePaused.push(record.status);
        pausing = undefined;
        connection.send({ type: then });
      });
    }
  };
  return new Promise((resolve) => {
    trainer.onEvent((event) => onEvent(event, trainer));
    trainer.onExit((exit) => resolve({ ...result, code: exit.code }));
    trainer.send({ type: 'start', runDir, datasetDir, config: resume ? undefined : config, resume, backend });
  });
}

const started = (events: TrainerEvent[]) => events.find((e): e is Extract<TrainerEvent, { type: 'started' }> => e.type === 'started')!;
const ended = (events: TrainerEvent[]) => events.at(-1) as Extract<TrainerEvent, { type: 'finished' }>;
const checkpoints = (events: TrainerEvent[]) => events.flatMap((e) => (e.type === 'checkpoint' ? [e.step] : []));

describe.skipIf(!availability.run)('a run moving between webgpu and wasm', () => {
  it('pauses, resumes and checkpoints on webgpu, continues on wasm and back, with the metrics of an uninterrupted run', async () => {
    const reference = join(root, 'reference');
    await runTrainer({ type: 'start', runDir: reference, datasetDir, config, resume: false, backend: 'cpu' }, () => undefined, new TrainingControl());
    const expected = await readRunMetrics(reference);
    const runDir = join(root, 'moving');
    const device = availability.run ? availability.adapter : '';

    // webgpu: pause after step 2 and resume; pause after step 4 and stop there (a checkpoint at that step).
    const first = await session(runDir, 'webgpu', false, [{ at: 2, then: 'resume' }, { at: 4, then: 'stop' }]);
    expect(first.code).toBe(0);
    expect(started(first.events).backend).toMatchObject({ name: 'webgpu', device });
    expect(first.statusesWhilePaused).toEqual(['paused', 'paused']);
    expect(first.events.filter((e) => e.type === 'paused' || e.type === 'resumed').map((e) => e.type)).toEqual(['paused', 'resumed', 'paused']);
    const stopA = ended(first.events);
    expect(stopA).toMatchObject({ type: 'finished', reason: 'stopped' });
    expect(stopA.step).toBeGreaterThanOrEqual(4);
    expect(checkpoints(first.events).at(-1)).toBe(stopA.step);
    expect((await readRunRecord(runDir)).status).toBe('stopped');

    // wasm: resume from that checkpoint, pause a step later and stop.
    const second = await session(runDir, 'wasm', true, [{ at: stopA.step + 1, then: 'stop' }]);
    expect(second.code).toBe(0);
    expect(started(second.events)).toMatchObject({ backend: { name: 'wasm' }, startStep: stopA.step });
    const stopB = ended(second.events);
    expect(stopB).toMatchObject({ type: 'finished', reason: 'stopped' });
    expect(stopB.step).toBeGreaterThan(stopA.step);
    expect(stopB.step).toBeLessThan(30);
    expect((await latestCompleteCheckpoint(runDir))?.state.step).toBe(stopB.step);

    // webgpu again: from wasm's checkpoint to the end.
    const third = await session(runDir, 'webgpu', true);
    expect(third.code).toBe(0);
    expect(started(third.events)).toMatchObject({ backend: { name: 'webgpu', device }, startStep: stopB.step });
    expect(ended(third.events)).toMatchObject({ type: 'finished', reason: 'completed', epoch: 3, step: 30 });
    expect(await readRunRecord(runDir)).toMatchObject({ status: 'completed', step: 30, backend: { name: 'webgpu' } });

    // Every step once, in order, and the uninterrupted run's numbers (Adam's moments, BatchNorm and counters crossed over).
    const actual = await readRunMetrics(runDir);
    expect(actual.steps.map((s) => s.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    actual.steps.forEach((step, i) => {
      for (const key of ['gen_loss', 'disc_loss', 'real_accuracy', 'fake_accuracy'] as const) {
        expect(step[key], `step ${step.step} ${key}`).toBeCloseTo(expected.steps[i]![key], 3);
      }
    });
    expect(actual.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    actual.epochs.forEach((epoch, i) => expect(epoch.gen_loss).toBeCloseTo(expected.epochs[i]!.gen_loss, 3));
  }, LLVMPIPE_TIMEOUT_MS);
});
