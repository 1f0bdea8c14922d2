/**
 * Submitting runs to Slurm so that no run ever trains twice, whatever
 * crashes when. Each submission is recorded before sbatch is called and moves
 * through three phases, each written down before the next step:
 *
 *   intent   submission.json and every run.json name the submission (a job
 *            name unique to it); sbatch has not answered yet.
 *   held     sbatch answered: the job (or array) exists, held, and every
 *            run.json holds its job id.
 *   released the hold is lifted: Slurm may start it.
 *
 * A studio that starts again finds submissions short of "released": for an
 * intent it asks Slurm for a job of that name before submitting again (the
 * crash may have come between sbatch and the record); a held one is released.
 * Jobs are submitted held so that a job id is in run.json before any trainer
 * could start. Arrays longer than the cluster's MaxArraySize are split, each
 * part starting after the previous one ended, so the throttle still holds.
 */
import { chmod, mkdir, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunRecord } from '../../shared/run';
import type { SlurmSettings } from '../../shared/slurm';
import { readRunRecord, updateRunRecord } from '../runs';
import { writeFileAtomic, writeJsonAtomic } from '../runs/atomic';
import { arrayJobScript, runJobScript, SLURM_FILES, type NodeLaunch } from './job-script';
import type { SlurmCommands } from './slurm-cli';
import { mapInOrder } from './in-order';
import { SlurmError } from './slurm-error';

/** Where submissions are recorded: a dot-folder in the runs root, which the run list skips. */
export const SUBMISSIONS_FOLDER = join('.slurm', 'submissions');

export type SubmissionPhase = 'intent' | 'held' | 'released';

export interface SubmissionRecord {
  version: 1;
  /** The job name, unique to this submission. */
  name: string;
  runIds: string[];
  phase: SubmissionPhase;
  /** The script given to sbatch: the run's job.sh, or the array's array.sh. */
  script: string;
  array: boolean;
  /** Slurm's id (an array's id for an array), once sbatch answered. */
  jobId?: string;
  /** The part before this one of a split array: this one starts after it ended. */
  after?: string;
  at: string;
}

export interface SubmitOptions {
  sweepId?: string;
  /** At most this many of the runs train at once (an array's %N). */
  throttle?: number;
}

/** Lowercase hex, Slurm-name safe. */
function token(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(3)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Split `count` runs into arrays Slurm accepts: indices stay below MaxArraySize. */
export function splitForArrays(count: number, maxArraySize: number): { start: number; count: number }[] {
  const size = Math.max(1, maxArraySize);
  const parts: { start: number; count: number }[] = [];
  for (let start = 0; start < count; start += size) parts.push({ start, count: Math.min(size, count - start) });
  return parts;
}

export class SlurmSubmitter {
  constructor(
    private readonly options: {
      runsRoot: string;
      commands: SlurmCommands;
      launch: NodeLaunch;
    },
  ) {}

  /**
   * Submit `runs` (their folders and run.json exist): one job for a single run outside a sweep,
   * else one job array (or several, chained, past MaxArraySize). Resolves with the submissions'
   * names; a refusal by Slurm marks the runs not yet submitted failed and rejects with sbatch's words.
   */
  async submit(runs: RunRecord[], settings: SlurmSettings, options: SubmitOptions = {}): Promise<string[]> {
    if (runs.length === 0) return [];
    const asArray = runs.length > 1 || options.sweepId !== undefined;
    const parts = asArray ? splitForArrays(runs.length, await this.options.commands.maxArraySize()) : [{ start: 0, count: 1 }];
    const base = `gan-studio-${options.sweepId ?? runs[0]!.id}-${token()}`;
    const names: string[] = [];
    let after: string | undefined;
    for (const [index, part] of parts.entries()) {
      const name = parts.length > 1 ? `${base}-p${index + 1}` : base;
      const members = runs.slice(part.start, part.start + part.count);
      try {
        await this.carryOut(await this.recordIntent(name, members, settings, { ...options, array: asArray, after }));
      } catch (error) {
        await this.withdraw(name, runs.slice(part.start), error as Error);
        throw error;
      }
      names.push(name);
      after = name;
    }
    return names;
  }

  /**
   * Finish submissions a studio left short of released (it crashed or was closed mid-submit).
   * Only those older than `minAgeMs`: a younger one may still be in a live studio's hands.
   */
  async recover(minAgeMs = 120_000): Promise<string[]> {
    const recovered: string[] = [];
    for (const record of await this.unfinished()) {
      if (Date.now() - Date.parse(record.at) < minAgeMs) continue;
      await this.carryOut(record);
      recovered.push(...record.runIds);
    }
    return recovered;
  }

  private folderOf(name: string): string {
    return join(this.options.runsRoot, SUBMISSIONS_FOLDER, name);
  }

  private async unfinished(): Promise<SubmissionRecord[]> {
    const root = join(this.options.runsRoot, SUBMISSIONS_FOLDER);
    const names = await readdir(root).catch(() => [] as string[]);
    const records: SubmissionRecord[] = [];
    for (const name of names) {
      try {
        const record = JSON.parse(await readFile(join(root, name, 'submission.json'), 'utf8')) as SubmissionRecord;
        if (record.phase !== 'released') records.push(record);
      } catch {
        // A folder without a complete record never reached sbatch: nothing to finish.
      }
    }
    return records.sort((a, b) => a.at.localeCompare(b.at));
  }

  /** Write every script, the submission record and each run.json's intent; nothing is submitted yet. */
  private async recordIntent(
    name: string,
    runs: RunRecord[],
    settings: SlurmSettings,
    options: SubmitOptions & { array: boolean; after?: string },
  ): Promise<SubmissionRecord> {
    const folder = this.folderOf(name);
    await mkdir(join(folder, 'tasks'), { recursive: true });
    const runDirs = runs.map((run) => join(this.options.runsRoot, run.id));
    await mapInOrder(runs, async (run, index) => {
      const slurmDir = join(runDirs[index]!, SLURM_FILES.folder);
      await mkdir(slurmDir, { recursive: true });
      const script = join(slurmDir, SLURM_FILES.script);
      await writeFileAtomic(script, runJobScript({ runId: run.id, runName: run.name, runDir: runDirs[index]!, jobName: name, settings, launch: this.options.launch }));
      await chmod(script, 0o755);
      // The array's output path tasks/<i>/ leads into this run's slurm/ folder.
      if (options.array) await symlink(slurmDir, join(folder, 'tasks', String(index))).catch(ignoreExisting);
    });
    const script = options.array ? join(folder, 'array.sh') : join(runDirs[0]!, SLURM_FILES.folder, SLURM_FILES.script);
    if (options.array) {
      await writeFileAtomic(script, arrayJobScript({ jobName: name, folder, runDirs, throttle: options.throttle, settings }));
    }
    const record: SubmissionRecord = {
      version: 1,
      name,
      runIds: runs.map((run) => run.id),
      phase: 'intent',
      script,
      array: options.array,
      ...(options.after ? { after: options.after } : {}),
      at: new Date().toISOString(),
    };
    await writeJsonAtomic(join(folder, 'submission.json'), record);
    const submittedAt = record.at;
    await mapInOrder(runs, (run) =>
      updateRunRecord(join(this.options.runsRoot, run.id), {
        status: 'queued',
        failure: undefined,
        queued: undefined,
        slurm: { settings, submission: name, ...(options.sweepId ? { sweepId: options.sweepId } : {}), submittedAt },
      }),
    );
    return record;
  }

  /** From whatever phase `record` is in, to released. */
  private async carryOut(record: SubmissionRecord): Promise<void> {
    const { commands } = this.options;
    if (record.phase === 'intent') {
      // A crash between sbatch and the record leaves a held job of this name: adopt it, never submit twice.
      const existing = await commands.jobsNamed(record.name);
      const jobId = existing[0]?.jobId.split('_')[0] ?? (await commands.sbatch(record.script, ['--hold', ...(await this.dependency(record))]));
      await mapInOrder(record.runIds, async (runId, index) => {
        const runDir = join(this.options.runsRoot, runId);
        const run = await readRunRecord(runDir);
        if (!run.slurm) throw new SlurmError(`Run ${runId} lost its Slurm record while it was submitted.`);
        await updateRunRecord(runDir, { slurm: { ...run.slurm, jobId: record.array ? `${jobId}_${index}` : jobId } });
      });
      record = { ...record, phase: 'held', jobId };
      await writeJsonAtomic(join(this.folderOf(record.name), 'submission.json'), record);
    }
    if (record.phase === 'held') {
      await commands.release(record.jobId!).catch((error: unknown) => {
        // Cancelled (or ended) meanwhile: there is nothing left to release.
        if (!/invalid job id|already completed|not held|job is no longer pending/i.test((error as Error).message)) throw error;
      });
      await writeJsonAtomic(join(this.folderOf(record.name), 'submission.json'), { ...record, phase: 'released' });
    }
  }

  /** `--dependency=afterany:<id>` when the submission is a later part of a split array. */
  private async dependency(record: SubmissionRecord): Promise<string[]> {
    if (!record.after) return [];
    const previous = JSON.parse(await readFile(join(this.folderOf(record.after), 'submission.json'), 'utf8')) as SubmissionRecord;
    return previous.jobId ? [`--dependency=afterany:${previous.jobId}`] : [];
  }

  /**
   * A submission that failed before Slurm had it (sbatch refused, the controller did not answer):
   * its record is withdrawn, and its runs and the later parts' are marked failed with the reason.
   * One that got further is left to `recover`.
   */
  private async withdraw(name: string, runs: RunRecord[], error: Error): Promise<void> {
    const file = join(this.folderOf(name), 'submission.json');
    const record = await readFile(file, 'utf8').then((text) => JSON.parse(text) as SubmissionRecord, () => undefined);
    if (record && record.phase !== 'intent') return;
    await rm(file, { force: true });
    const hint = error instanceof SlurmError && error.hint ? `\n${error.hint}` : '';
    for (const run of runs) {
      const runDir = join(this.options.runsRoot, run.id);
      const current = await readRunRecord(runDir).catch(() => undefined);
      if (!current) continue;
      await updateRunRecord(runDir, {
        status: 'failed',
        failure: { kind: 'error', message: `${error.message}${hint}` },
        ...(current.slurm ? { slurm: { ...current.slurm, ended: { state: 'FAILED', at: new Date().toISOString() } } } : {}),
      }).catch(() => undefined);
    }
  }
}

function ignoreExisting(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
}
