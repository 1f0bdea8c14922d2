/**
 * Fixtures of the Slurm tests: a studio whose Slurm executor polls often (the
 * cluster is real: .ci/start-slurm.sh's single node), tiny runs on the
 * squares dataset, and the one thing only an admin does by hand — letting a
 * requeued job start now instead of after Slurm's ~2 minute requeue delay.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, vi } from 'vitest';
import type { TrainingConfigInput } from '../../shared/config';
import type { StudioService, StudioServiceOptions } from '../studio-service';
import { writeSquaresDataset } from '../common/test-support';
import { realTrainerStudio } from '../studio-service/test-studio';

const run = promisify(execFile);

/** A studio on `root`'s runs and datasets folders, polling Slurm every half second. */
export function slurmStudio(root: string, slurm: StudioServiceOptions['slurm'] = {}): StudioService {
  return realTrainerStudio(root, { maxConcurrentRuns: 1, slurm: { pollMs: 500, followMs: 500, stopGraceMs: 60_000, ...slurm } });
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

/** When each job was first seen waiting on its begin time after a requeue. */
const requeueSeenAt = new Map<string, number>();
/** Seconds to leave between a requeue and the next start (see startNowIfRequeued). */
const REQUEUE_SETTLE_MS = 3000;

/**
 * A requeued job waits ~2 minutes (its begin time) before Slurm starts it again;
 * tests let it start sooner, but not at once: the node revokes the old attempt's
 * credential with whole-second times, and a start in that same second is killed
 * ("Job credential revoked", the job FAILED).
 */
export async function startNowIfRequeued(jobId: string): Promise<boolean> {
  const state = await squeueState(jobId);
  if (state?.[0] !== 'PENDING' || state[1] !== 'BeginTime') {
    requeueSeenAt.delete(jobId);
    return false;
  }
  const seenAt = requeueSeenAt.get(jobId) ?? Date.now();
  requeueSeenAt.set(jobId, seenAt);
  if (Date.now() - seenAt < REQUEUE_SETTLE_MS) return false;
  await run('scontrol', ['update', `JobId=${jobId}`, 'StartTime=now']);
  requeueSeenAt.delete(jobId);
  return true;
}

export async function scontrol(...args: string[]): Promise<string> {
  return (await run('scontrol', args)).stdout;
}

export async function scancel(...args: string[]): Promise<void> {
  await run('scancel', args);
}

/** The pid of the `train-job` process training `runDir` on this node (Linux: read from /proc), if any. */
async function trainJobPid(runDir: string): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = await readFile(`/proc/${entry}/cmdline`, 'utf8').then((text) => text.split('\0'), (): string[] => []);
    if (args.includes('train-job') && args.includes(runDir)) return Number(entry);
  }
  return undefined;
}

/** Whether SIGTERM waits on `pid` undelivered (/proc status: the thread's and the process's pending sets). */
async function termPending(pid: number): Promise<boolean> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const sigterm = 1n << 14n; // signal 15 is bit 14
  return [...status.matchAll(/^(?:SigPnd|ShdPnd):\s*([0-9a-f]+)$/gm)].some((match) => (BigInt(`0x${match[1]}`) & sigterm) !== 0n);
}

/**
 * Run `action` with the trainer of `runDir` paused (SIGSTOP), keep it paused until
 * the job script has forwarded a signal to it (SIGTERM pending), then let it go on.
 * Slurm looks at time limits only every 30 s, so a short run could otherwise
 * finish before the time-limit signal arrives, however the limit is set.
 */
export async function holdTrainerUntilSignalled(runDir: string, action: () => Promise<void>, timeout: number): Promise<void> {
  const pid = await trainJobPid(runDir);
  if (pid === undefined) throw new Error(`no train-job process for ${runDir}`);
  process.kill(pid, 'SIGSTOP');
  try {
    await action();
    await vi.waitFor(async () => expect(await termPending(pid)).toBe(true), { timeout, interval: 250 });
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}
