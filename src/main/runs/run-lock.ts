/**
 * One trainer per run folder. Two trainers on one folder (a `--resume` while
 * `serve` or another terminal still trains it) would interleave metrics and
 * overwrite each other's checkpoints, so a trainer holds `trainer.lock`
 * (its pid and host) while it runs. A lock whose process is gone — a killed
 * trainer — is stale and taken over.
 */
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunDirError } from './run-dir';

export const RUN_LOCK_FILE = 'trainer.lock';

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  /** The Slurm job the trainer runs in (SLURM_JOB_ID), when it runs in one. */
  slurmJob?: string;
}

/** A held lock; `release` is idempotent. */
export interface RunLock {
  release(): Promise<void>;
}

/** The live trainer holding `runDir`, if any (stale locks count as none). */
export async function activeRunLock(runDir: string): Promise<LockOwner | undefined> {
  const owner = await readOwner(join(runDir, RUN_LOCK_FILE));
  return owner && isAlive(owner) ? owner : undefined;
}

/** Take the run's lock or throw RunDirError naming the trainer that holds it. */
export async function acquireRunLock(runDir: string): Promise<RunLock> {
  const file = join(runDir, RUN_LOCK_FILE);
  const job = process.env.SLURM_JOB_ID;
  const mine: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), ...(job ? { slurmJob: job } : {}) };
  // Written whole under a private name, then linked into place: link fails if the lock exists,
  // so a lock file is never seen half-written.
  const temp = `${file}.${process.pid}.${Date.now()}`;
  await writeFile(temp, JSON.stringify(mine));
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await link(temp, file);
        return lockFor(file, mine);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = await readOwner(file);
        if (owner && isAlive(owner)) throw lockedError(runDir, owner);
        await rm(file, { force: true }); // stale: its trainer is gone
      }
    }
    throw lockedError(runDir, await readOwner(file));
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Remove a lock left by a trainer that ran in a Slurm job, which has ended: Slurm ends every
 * process of a job before it runs the job again or reports it gone, and on another node the
 * owner's pid cannot be checked. Resolves with whether a lock was removed.
 */
export async function removeEndedJobLock(runDir: string): Promise<boolean> {
  const file = join(runDir, RUN_LOCK_FILE);
  const owner = await readOwner(file);
  if (!owner?.slurmJob) return false;
  await rm(file, { force: true });
  return true;
}

/** The message a user sees when a run is already being trained. */
export function lockedError(runDir: string, owner: LockOwner | undefined): RunDirError {
  const who = owner ? `process ${owner.pid} on ${owner.host}, since ${owner.startedAt}` : 'another trainer';
  return new RunDirError(
    `Run ${runDir} is already being trained (${who}). Stop that training first, or wait for it to finish; ` +
      `if no trainer is running any more, delete ${join(runDir, RUN_LOCK_FILE)}.`,
  );
}

function lockFor(file: string, mine: LockOwner): RunLock {
  let held = true;
  return {
    async release() {
      if (!held) return;
      held = false;
      const owner = await readOwner(file);
      // Never remove a lock another trainer took over.
      if (owner?.pid === mine.pid && owner.startedAt === mine.startedAt) await rm(file, { force: true });
    },
  };
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.host !== 'string') return undefined;
    return { pid: owner.pid, host: owner.host, startedAt: String(owner.startedAt), ...(typeof owner.slurmJob === 'string' ? { slurmJob: owner.slurmJob } : {}) };
  } catch {
    return undefined; // missing or unreadable: treated as stale
  }
}

function isAlive(owner: LockOwner): boolean {
  // Another machine's trainer (a shared runs folder) cannot be checked: assume it runs.
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
