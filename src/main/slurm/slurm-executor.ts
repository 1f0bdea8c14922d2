/**
 * The Slurm executor: runs train as Slurm jobs, and the studio watches them.
 * Slurm schedules; this class submits (durably, see submit.ts), asks squeue
 * once per poll for every job, follows a running job's run folder for live
 * charts and grids, signals (Stop: checkpoint, then cancel) and, once a job
 * left the queue, writes how it ended into run.json. It holds no state a
 * restart would lose: run.json has each run's job id, and `restore` picks the
 * jobs up again.
 */
import { join } from 'node:path';
import type { StudioEvent } from '../../shared/api';
import type { RunRecord } from '../../shared/run';
import type { SlurmJobView, SlurmSettings } from '../../shared/slurm';
import { listRuns, readRunRecord, updateRunRecord } from '../runs';
import { removeEndedJobLock } from '../runs/run-lock';
import { RunFollower } from './follow-run';
import { decideJobEnd, logTail, readExitRecords, settledStatus, type SlurmEnd } from './job-end';
import type { NodeLaunch } from './job-script';
import { sharedStorageWarnings } from './shared-storage';
import { SlurmCommands } from './slurm-cli';
import { isLive, jobState, type SqueueRow } from './slurm-output';
import { defaultNodeLaunch } from './studio-side';
import { SlurmSubmitter, type SubmitOptions } from './submit';

export interface SlurmExecutorOptions {
  runsRoot: string;
  /** Slurm's commands (default: those on PATH). */
  commands?: SlurmCommands;
  /** How the nodes start the trainer (default: this Node and this checkout's CLI). */
  launch?: NodeLaunch;
  emit(event: StudioEvent): void;
  urlForRunFile(runId: string, relPath: string): string;
  onRunChanged(runId: string): void;
  /** Between squeue calls (one call answers for every job). */
  pollMs?: number;
  /** Between reads of running runs' files (a new metric line reaches the UI within this plus the transport). */
  followMs?: number;
  /** After Stop's checkpoint signal, how long the job may take to end before it is cancelled outright. */
  stopGraceMs?: number;
  /** A submission left short of released this long ago is finished by `restore` (a younger one may be a live studio's). */
  recoverAfterMs?: number;
}

interface Tracked {
  runId: string;
  runDir: string;
  /** Unset while the submission has not got Slurm's answer yet. */
  jobId?: string;
  view: SlurmJobView;
  follower?: RunFollower;
  stopRequested: boolean;
  /** Stop's signal went out (scancel answered). */
  signalled?: boolean;
  stopTimer?: NodeJS.Timeout;
  ended: Promise<void>;
  markEnded(): void;
}

export class SlurmExecutor {
  readonly submitter: SlurmSubmitter;
  private readonly commands: SlurmCommands;
  private readonly tracked = new Map<string, Tracked>();
  private pollTimer: NodeJS.Timeout | undefined;
  private followTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private disposed = false;

  constructor(private readonly options: SlurmExecutorOptions) {
    this.commands = options.commands ?? new SlurmCommands();
    this.submitter = new SlurmSubmitter({ runsRoot: options.runsRoot, commands: this.commands, launch: options.launch ?? defaultNodeLaunch() });
  }

  /** Whether Slurm answers here (sbatch on PATH, the controller up), and if not why. */
  async check(): Promise<{ available: boolean; version?: string; problem?: string; hint?: string }> {
    try {
      return { available: true, version: await this.commands.check() };
    } catch (error) {
      const hint = (error as { hint?: unknown }).hint;
      return { available: false, problem: (error as Error).message, ...(typeof hint === 'string' ? { hint } : {}) };
    }
  }

  /** Throws SlurmUnavailableError (sbatch's absence, the controller's silence) when Slurm cannot take jobs from here. */
  async ensureAvailable(): Promise<void> {
    await this.commands.check();
  }

  /** A studio starting: finish interrupted submissions, then watch every run whose job has not ended. */
  async restore(): Promise<void> {
    const entries = await listRuns(this.options.runsRoot);
    if (!entries.some((entry) => entry.record?.slurm && !entry.record.slurm.ended)) return;
    await this.submitter.recover(this.options.recoverAfterMs);
    for (const entry of await listRuns(this.options.runsRoot)) if (entry.record) this.adopt(entry.record);
  }

  /**
   * Submit runs (created, their run.json written): one job, or one array for a sweep.
   * Resolves with warnings (e.g. a node-local runs folder); rejects with Slurm's own refusal.
   */
  async submit(runs: RunRecord[], settings: SlurmSettings, options: SubmitOptions = {}): Promise<{ warnings: string[] }> {
    await this.commands.check();
    const warnings = await sharedStorageWarnings([
      { label: 'runs folder', path: this.options.runsRoot },
      ...[...new Set(runs.map((run) => run.dataset.dir))].map((path) => ({ label: 'dataset folder', path })),
    ]);
    try {
      await this.submitter.submit(runs, settings, options);
    } finally {
      // Submitted or refused, each run's record says which: watch the submitted ones.
      for (const run of runs) this.adopt(await readRunRecord(join(this.options.runsRoot, run.id)));
    }
    return { warnings };
  }

  /** Watch `record`'s job if it has one that has not ended (a run another studio submitted, too). */
  adopt(record: RunRecord): void {
    if (!record.slurm || record.slurm.ended || this.tracked.has(record.id) || this.disposed) return;
    let markEnded!: () => void;
    const ended = new Promise<void>((resolve) => (markEnded = resolve));
    this.tracked.set(record.id, {
      runId: record.id,
      runDir: join(this.options.runsRoot, record.id),
      ...(record.slurm.jobId ? { jobId: record.slurm.jobId } : {}),
      view: { ...(record.slurm.jobId ? { jobId: record.slurm.jobId } : {}), state: record.slurm.jobId ? 'PENDING' : 'SUBMITTING', restarts: 0, ...partition(record.slurm.settings) },
      stopRequested: false,
      ended,
      markEnded,
    });
    this.schedulePoll(0);
  }

  /** What the UI shows of `record`'s job: live while Slurm has it, else how it ended; undefined for a local run. */
  view(record: RunRecord): SlurmJobView | undefined {
    const tracked = this.tracked.get(record.id);
    if (tracked) return { ...tracked.view };
    if (!record.slurm) return undefined;
    if (!record.slurm.ended) {
      this.adopt(record);
      return this.tracked.get(record.id)?.view;
    }
    const { state, exitCode } = record.slurm.ended;
    return { ...(record.slurm.jobId ? { jobId: record.slurm.jobId } : {}), state, ...(exitCode !== undefined ? { exitCode } : {}), restarts: 0, ...partition(record.slurm.settings) };
  }

  /** True while the run has a job Slurm may still run. */
  isLive(runId: string): boolean {
    return this.tracked.has(runId);
  }

  /** Resolves once the run's job has ended and run.json says how (at once when it has none). */
  whenEnded(runId: string): Promise<void> {
    return this.tracked.get(runId)?.ended ?? Promise.resolve();
  }

  /**
   * Stop: a pending job is cancelled; a running one gets SIGTERM (the trainer checkpoints and
   * exits) and is cancelled outright if it has not ended after the grace period.
   */
  async stop(runId: string): Promise<void> {
    const tracked = this.tracked.get(runId);
    if (!tracked) return;
    tracked.stopRequested = true;
    // Without Slurm's id yet (still submitting) the next poll that learns it signals.
    if (tracked.jobId) await this.signalStop(tracked, tracked.view.state);
    this.schedulePoll(1000);
  }

  /** Stop's signal, once, for the state the job is in: cancel while it waits; SIGTERM, then cancel after the grace, while it runs. */
  private async signalStop(tracked: Tracked, state: SlurmJobView['state']): Promise<void> {
    if (tracked.signalled || !tracked.jobId) return;
    const jobId = tracked.jobId;
    if (['RUNNING', 'COMPLETING'].includes(state)) {
      await this.commands.cancel(jobId, 'TERM');
      tracked.stopTimer = setTimeout(() => void this.commands.cancel(jobId).catch(() => undefined), this.options.stopGraceMs ?? 90_000);
    } else {
      await this.commands.cancel(jobId);
    }
    tracked.signalled = true;
  }

  /**
   * Cancel the run's job outright (the run is being deleted) and wait until Slurm has ended it —
   * at most `waitMs`: a cluster that stopped answering must not hold the delete forever.
   */
  async cancel(runId: string, waitMs = 60_000): Promise<void> {
    const tracked = this.tracked.get(runId);
    if (!tracked) return;
    tracked.stopRequested = true;
    if (tracked.jobId) await this.commands.cancel(tracked.jobId).catch(() => undefined);
    this.schedulePoll(500);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([tracked.ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
  }

  /** Stop watching (the studio closes); the jobs go on, and the next studio picks them up. */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.pollTimer);
    clearTimeout(this.followTimer);
    for (const tracked of this.tracked.values()) clearTimeout(tracked.stopTimer);
  }

  /** One squeue call for every job now (tests and --wait use it to settle sooner). */
  pollNow(): Promise<void> {
    this.polling ??= this.poll().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private schedulePoll(delayMs = this.options.pollMs ?? 3000): void {
    if (this.disposed || this.tracked.size === 0) return;
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      void this.pollNow().finally(() => this.schedulePoll());
    }, delayMs);
  }

  private async poll(): Promise<void> {
    let rows: SqueueRow[];
    try {
      rows = await this.commands.squeue();
    } catch (error) {
      for (const tracked of this.tracked.values()) this.update(tracked, { ...tracked.view, stale: (error as Error).message });
      return;
    }
    const byId = new Map(rows.map((row) => [row.jobId, row]));
    const gone: Tracked[] = [];
    for (const tracked of [...this.tracked.values()]) {
      if (!tracked.jobId && !(await this.learnJobId(tracked))) continue;
      const row = byId.get(tracked.jobId!);
      const state = row ? jobState(row.state, row.restarts) : undefined;
      if (row && state && isLive(state)) {
        if (tracked.stopRequested) await this.signalStop(tracked, state).catch(() => undefined);
        this.update(tracked, {
          jobId: tracked.jobId!,
          state,
          restarts: row.restarts,
          ...(row.reason && row.reason !== 'None' ? { reason: row.reason } : {}),
          ...(row.node ? { node: row.node } : {}),
          ...(tracked.view.partition ? { partition: tracked.view.partition } : {}),
        });
        continue;
      }
      if (row) await this.settle(tracked, { state: row.state, ...(row.exitCode !== undefined ? { exitCode: row.exitCode } : {}), node: row.node });
      else gone.push(tracked);
    }
    if (gone.length > 0) {
      // Left the queue before this poll saw its end: accounting may still know (one sacct call for all).
      const sacct = await this.commands.sacct(gone.map((tracked) => tracked.jobId!));
      for (const tracked of gone) {
        const row = sacct?.find((entry) => entry.jobId === tracked.jobId);
        await this.settle(tracked, row ? { state: row.state, ...(row.exitCode !== undefined ? { exitCode: row.exitCode } : {}), node: row.node } : undefined);
      }
    }
    this.updateFollowers();
  }

  /** A run another process is submitting: its job id appears in run.json once sbatch answered. */
  private async learnJobId(tracked: Tracked): Promise<boolean> {
    const record = await readRunRecord(tracked.runDir).catch(() => undefined);
    if (!record?.slurm || record.slurm.ended) {
      this.forget(tracked);
      return false;
    }
    if (!record.slurm.jobId) return false;
    tracked.jobId = record.slurm.jobId;
    return true;
  }

  private update(tracked: Tracked, view: SlurmJobView): void {
    const before = JSON.stringify(tracked.view);
    tracked.view = view;
    if (JSON.stringify(view) !== before) this.options.onRunChanged(tracked.runId);
  }

  /** The job left the queue: write how it ended into run.json, stop watching. */
  private async settle(tracked: Tracked, slurm: SlurmEnd | undefined): Promise<void> {
    await tracked.follower?.poll().catch(() => undefined); // the last lines the trainer wrote
    try {
      const record = await readRunRecord(tracked.runDir);
      if (!record.slurm || record.slurm.jobId !== tracked.jobId) return this.forget(tracked); // resubmitted or gone meanwhile
      const [exits, stderrTail] = await Promise.all([readExitRecords(tracked.runDir, tracked.jobId!), logTail(tracked.runDir, 'stderr.log')]);
      const end = decideJobEnd({ ...(slurm ? { slurm } : {}), exits, stderrTail, runStatus: record.status, stopRequested: tracked.stopRequested });
      await removeEndedJobLock(tracked.runDir);
      await updateRunRecord(tracked.runDir, {
        ...settledStatus(record, end, stderrTail),
        slurm: { ...record.slurm, ended: { state: end.state, ...(end.exitCode !== undefined ? { exitCode: end.exitCode } : {}), at: new Date().toISOString() } },
      });
    } catch {
      // The run folder was deleted: nothing left to record.
    }
    this.forget(tracked);
  }

  private forget(tracked: Tracked): void {
    clearTimeout(tracked.stopTimer);
    this.tracked.delete(tracked.runId);
    tracked.markEnded();
    this.options.onRunChanged(tracked.runId);
  }

  /** Follow the files of running jobs' runs; stop following the others. */
  private updateFollowers(): void {
    for (const tracked of this.tracked.values()) {
      const running = ['RUNNING', 'COMPLETING'].includes(tracked.view.state);
      if (running && !tracked.follower) {
        const { emit, urlForRunFile, onRunChanged } = this.options;
        tracked.follower = new RunFollower({ runId: tracked.runId, runDir: tracked.runDir, emit, urlForRunFile, onRunChanged });
      } else if (!running) tracked.follower = undefined;
    }
    if (!this.followTimer) this.follow();
  }

  private follow(): void {
    const followers = [...this.tracked.values()].flatMap((tracked) => (tracked.follower ? [tracked.follower] : []));
    if (this.disposed || followers.length === 0) {
      this.followTimer = undefined;
      return;
    }
    this.followTimer = setTimeout(async () => {
      for (const follower of followers) await follower.poll().catch(() => undefined);
      this.follow();
    }, this.options.followMs ?? 1000);
  }
}

function partition(settings: SlurmSettings): { partition?: string } {
  return settings.partition ? { partition: settings.partition } : {};
}
