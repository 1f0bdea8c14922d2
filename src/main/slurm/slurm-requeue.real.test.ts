/**
 * Preemption and time limits on a real Slurm cluster, as submitit handles
 * them: `scontrol requeue` mid-run (the SIGTERM a preemption sends too) and a
 * time limit shorter than the run both end in a checkpoint and a requeue, and
 * the run resumes from it — every step trained once, the numbers the same as
 * an uninterrupted run's.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import type { EpochMetrics, StepMetrics } from '../../shared/metrics';
import type { RunSummary } from '../../shared/api';
import { readRunMetrics, readRunRecord } from '../runs';
import type { StudioService } from '../studio-service';
import { TrainingControl } from '../training/control';
import { writeSquaresDataset } from '../common/test-support';
import { runTrainer } from '../training/trainer-run';
import type { ExitRecord } from './job-end';
import { startSlurmForTests } from './test-cluster';
import { holdTrainerUntilSignalled, scontrol, slurmStudio, squaresDataset, squeueState, startNowIfRequeued, tinyConfig } from './test-support';

const cluster = await startSlurmForTests();

/** Everything a step or epoch records except wall-clock time. */
const numbers = (records: (StepMetrics | EpochMetrics)[]) =>
  records.map((record) => Object.entries(record).filter(([key]) => !['ms', 'seconds', 'images_per_second'].includes(key)));

describe.skipIf(!cluster.run)('requeue on Slurm', () => {
  let root: string;
  let studio: StudioService;
  const runDir = (run: RunSummary) => join(root, 'runs', run.id);
  const exits = async (run: RunSummary) =>
    (await readFile(join(runDir(run), 'slurm', 'exits.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ExitRecord);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gan-slurm-requeue-'));
    await writeSquaresDataset(join(root, 'datasets', 'squares-test'), 24);
    studio = slurmStudio(root);
  });
  afterAll(async () => {
    await studio.shutdown();
    await rm(root, { recursive: true, force: true });
  });

  /** Wait for the run to complete, letting each requeued attempt start at once. */
  async function completion(run: RunSummary, timeout: number): Promise<void> {
    const jobId = (await readRunRecord(runDir(run))).slurm!.jobId!;
    await vi.waitFor(
      async () => {
        await startNowIfRequeued(jobId);
        const record = await readRunRecord(runDir(run));
        expect([record.status, record.slurm?.ended?.state]).toEqual(['completed', 'COMPLETED']);
      },
      { timeout, interval: 500 },
    );
  }

  it('scontrol requeue mid-run: checkpoint, requeue, resume; every step once, metrics identical to an uninterrupted run', async () => {
    // 24 images, batch 8: 3 steps an epoch, 90 steps.
    const input = tinyConfig(5, 30, { scoreEvery: 0 });
    const reference = join(root, 'reference');
    const end = await runTrainer(
      { type: 'start', runDir: reference, datasetDir: join(root, 'datasets', 'squares-test'), config: resolveTrainingConfig(input), resume: false, backend: 'cpu' },
      () => undefined,
      new TrainingControl(),
    );
    expect(end.type).toBe('finished');

    const run = await studio.createRun({ name: 'requeued', datasetId: 'squares-test', config: input, executor: { kind: 'slurm', slurm: { time: '10' } } });
    const jobId = (await readRunRecord(runDir(run))).slurm!.jobId!;
    await vi.waitFor(async () => expect((await readRunMetrics(runDir(run))).steps.length).toBeGreaterThanOrEqual(20), { timeout: 120_000, interval: 250 });
    await scontrol('requeue', jobId);
    // Requeued: pending again, run.json says stopped with its checkpoint; the studio shows the job requeued.
    await vi.waitFor(async () => expect((await squeueState(jobId))?.[1]).toBe('BeginTime'), { timeout: 60_000, interval: 250 });
    await vi.waitFor(
      async () => {
        const summary = (await studio.listRuns()).find((r) => r.id === run.id) as RunSummary;
        expect([summary.status, summary.job?.state, summary.job?.restarts]).toEqual(['queued', 'REQUEUED', 1]);
      },
      { timeout: 30_000, interval: 250 },
    );
    await completion(run, 180_000);

    const [first, second] = await exits(run);
    expect([first?.restart, first?.signal, first?.exitCode, first?.requeued]).toEqual([0, 'TERM', 130, false]);
    expect([second?.restart, second?.exitCode]).toEqual([1, 0]);
    expect(await readFile(join(runDir(run), 'slurm', 'stdout.log'), 'utf8')).toMatch(/SIGTERM received[\s\S]*resumed at epoch \d+, step \d+/);

    const expected = await readRunMetrics(reference);
    const actual = await readRunMetrics(runDir(run));
    expect(actual.steps.map((s) => s.step)).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
    expect(numbers(actual.steps)).toEqual(numbers(expected.steps));
    expect(numbers(actual.epochs)).toEqual(numbers(expected.epochs));
  }, 400_000);

  it('a time limit shorter than the run: the signal ahead of it checkpoints, the job requeues itself, the run completes', async () => {
    // 96 images, batch 32: 3 steps an epoch, 144 steps.
    await squaresDataset(root, 'squares-96', 96);
    const signalSeconds = 150;
    const run = await studio.createRun({
      name: 'timed out',
      datasetId: 'squares-96',
      config: tinyConfig(6, 48, { batchSize: 32, scoreEvery: 0 }),
      executor: { kind: 'slurm', slurm: { time: '30', signalSeconds, maxRequeues: 2 } },
    });
    const jobId = (await readRunRecord(runDir(run))).slurm!.jobId!;
    await vi.waitFor(async () => expect((await readRunMetrics(runDir(run))).steps.length).toBeGreaterThanOrEqual(10), { timeout: 120_000, interval: 250 });
    // Cut the job's limit to 1–2 minutes from now: inside the signal's lead, still ahead of the limit itself.
    // The trainer waits, paused, for the signal (Slurm checks limits every 30 s; the run is shorter than that).
    await holdTrainerUntilSignalled(
      runDir(run),
      async () => {
        const elapsed = Number(/RunTime=(\d+):(\d+):(\d+)/.exec(await scontrol('show', 'job', jobId))!.slice(1, 4).reduce((s, part) => s * 60 + Number(part), 0));
        await scontrol('update', `JobId=${jobId}`, `TimeLimit=${Math.ceil((elapsed + 60) / 60)}`);
      },
      90_000,
    );
    await vi.waitFor(async () => expect((await squeueState(jobId))?.[1]).toBe('BeginTime'), { timeout: 120_000, interval: 250 });
    // The requeued job gets its old limit back, so this attempt finishes.
    await scontrol('update', `JobId=${jobId}`, 'TimeLimit=30');
    await completion(run, 240_000);

    const [first, second] = await exits(run);
    expect([first?.restart, first?.signal, first?.exitCode, first?.requeued]).toEqual([0, 'USR1', 130, true]);
    expect([second?.restart, second?.exitCode]).toEqual([1, 0]);
    expect(await readFile(join(runDir(run), 'slurm', 'stdout.log'), 'utf8')).toContain('checkpoint saved before the time limit; requeueing job');
    const steps = (await readRunMetrics(runDir(run))).steps.map((s) => s.step);
    expect(steps).toEqual(Array.from({ length: 144 }, (_, i) => i + 1));
  }, 400_000);
});
