/**
 * Fixtures of the Slurm tests: a studio whose Slurm executor polls often (the
 * cluster is real: .ci/start-slurm.sh's single node), tiny runs on the
 * squares dataset, and the one thing only an admin does by hand — letting a
 * requeued job start now instead of after Slurm's ~2 minute requeue delay.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TrainingConfigInput } from '../../shared/config';
import { StudioService, type StudioServiceOptions } from '../studio-service';
import { writeSquaresDataset } from '../common/test-support';
import { spawnTrainerProcess } from '../training/trainer-process';

const run = promisify(execFile);

/** A studio on `root`'s runs and datasets folders, polling Slurm every half second. */
export function slurmStudio(root: string, slurm: StudioServiceOptions['slurm'] = {}): StudioService {
  return new StudioService({
    runsRoot: join(root, 'runs'),
    datasetsRoot: join(root, 'datasets'),
    launcher: () => spawnTrainerProcess(),
    shell: 'browser',
    urlForRunFile: (runId, rel) => `studio://run/${runId}/${rel}`,
    urlForDatasetPreview: (id) => `studio://dataset/${id}/preview.png`,
    probeBackend: async () => ({ name: 'cpu', device: 'CPU', skipped: [] }),
    maxConcurrentRuns: 1,
    slurm: { pollMs: 500, followMs: 500, stopGraceMs: 60_000, ...slurm },
  });
}

/** The squares fixture as dataset `id` of `root`'s datasets folder, with `count` images. */
export async function squaresDataset(root: string, id: string, count: number): Promise<string> {
  const dir = await writeSquaresDataset(join(root, 'datasets', id), count);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { id: string };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, id }));
  return dir;
}

/** A tiny run on the squares fixture (3 steps an epoch with 24 images), cheap to score. */
export function tinyConfig(seed: number, epochs: number, extra: Partial<TrainingConfigInput> = {}): TrainingConfigInput {
  return { preset: 'tiny', seed, epochs, batchSize: 8, backend: 'cpu', gridRows: 1, gridCols: 2, earlySampleSteps: [], scoreSampleSize: 10, ...extra };
}

/** squeue's view of one job: [state, reason] or undefined when Slurm no longer lists it. */
export async function squeueState(jobId: string): Promise<[string, string] | undefined> {
  const { stdout } = await run('squeue', ['--me', '--array', '--states=all', '--noheader', '--Format=JobArrayID:|,State:|,Reason:|']);
  const row = stdout.split('\n').find((line) => line.startsWith(`${jobId}|`));
  if (!row) return undefined;
  const [, state = '', reason = ''] = row.split('|');
  return [state, reason];
}

/** A requeued job waits ~2 minutes (its begin time) before Slurm starts it again; tests let it start now. */
export async function startNowIfRequeued(jobId: string): Promise<boolean> {
  const state = await squeueState(jobId);
  if (state?.[0] !== 'PENDING' || state[1] !== 'BeginTime') return false;
  await run('scontrol', ['update', `JobId=${jobId}`, 'StartTime=now']);
  return true;
}

export async function scontrol(...args: string[]): Promise<string> {
  return (await run('scontrol', args)).stdout;
}

export async function scancel(...args: string[]): Promise<void> {
  await run('scancel', args);
}
