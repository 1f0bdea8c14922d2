/**
 * RunManager: supervises one trainer process per active run. It sends the
 * trainer its commands, relays the trainer's (already coalesced) events as
 * StudioEvents, and records in run.json what only a supervisor can know —
 * that the trainer died without saying goodbye (status 'crashed'). A crash
 * never propagates: the studio stays up and the run can be resumed.
 * At most `maxConcurrentRuns` trainers run at once; later starts wait as
 * 'queued' (written to run.json, so the queue outlives a restart) and start
 * in order as trainers end. A resume that cannot start — refused by its
 * trainer, or no longer startable when its turn in the queue comes — leaves
 * the run's status as it was and notes why in run.json (`resumeRefused`).
 * Electron-free: the process kind is hidden behind a TrainerLauncher.
 */
import { existsSync } from 'node:fs';
import { SCORE_CLASSIFIER_OPERATION, type StudioEvent } from '../../shared/api';
import type { BackendName, BackendReport } from '../../shared/backends';
import { PRESETS } from '../../shared/preset-catalog';
import type { RunRecord, RunStatus } from '../../shared/run';
import type { TrainerEvent } from '../../shared/trainer-protocol';
import type { TrainerConnection, TrainerLauncher } from '../training/trainer-connection';
import { listRuns } from '../runs';
import { activeRunLock, lockedError } from '../runs/run-lock';
import { StudioError } from './errors';
import { readRunRecord, runDirOf, updateRunRecord } from './run-files';
import { endState, isRefusedResume, recordRunEnding, type TrainerEnding } from './run-ending';
import { recordDequeued, recordQueued, recordRefusedResume, recordResumeStarting, recordUnstartable } from './run-queue-records';

/** What the manager knows about a run whose trainer is alive (newer than run.json). */
export interface LiveRunState {
  status: RunStatus;
  epoch: number;
  step: number;
  backend?: BackendReport;
  failure?: { kind: string; message: string };
}

export interface RunManagerOptions {
  runsRoot: string;
  launcher: TrainerLauncher;
  /** Push an event to every UI. */
  emit(event: StudioEvent): void;
  /** Public URL of a file inside a run (samples/…). */
  urlForRunFile(runId: string, relPath: string): string;
  /** Called whenever a run's summary changed (the service re-reads and emits run-updated). */
  onRunChanged(runId: string): void;
  /** How long a trainer may take to exit after finishing or being asked to stop before it is killed. */
  exitGraceMs?: number;
  /** Trainers at once; more starts are queued. Resolved once (e.g. one per GPU). */
  maxConcurrentRuns(): Promise<number>;
}

interface ActiveRun {
  connection: TrainerConnection;
  state: LiveRunState;
  /** The trainer's own last word (finished/failed); absent when it died silently. */
  ending?: TrainerEnding;
  /** Continues from a checkpoint: a refusal then leaves the run as it was. */
  resume: boolean;
  killTimer?: NodeJS.Timeout;
  exited: Promise<void>;
  dispose(): void;
}

export class RunManager {
  private readonly active = new Map<string, ActiveRun>();
  /** Runs between "a slot is theirs" and "their trainer is tracked": they count against the limit. */
  private readonly starting = new Set<string>();
  /** Queued run ids, first to start first. */
  private readonly queue: string[] = [];
  private readonly exitGraceMs: number;
  private limit: Promise<number> | undefined;

  constructor(private readonly options: RunManagerOptions) {
    this.exitGraceMs = options.exitGraceMs ?? 30_000;
  }

  /** True while the run waits for a training slot. */
  isQueued(runId: string): boolean {
    return this.queue.includes(runId);
  }

  /** Take up the queue run.json files describe (the studio restarted): oldest first, starting what fits. */
  async restoreQueue(): Promise<void> {
    const queued = (await listRuns(this.options.runsRoot))
      .flatMap(({ record }) => (record ? [record] : [])) // a damaged run.json queues nothing
      // A Slurm run's "queued" means its job is pending on the cluster: Slurm starts it, not this queue.
      .filter((record) => record.status === 'queued' && !record.slurm && !this.isQueued(record.id) && !this.active.has(record.id))
      .sort((a, b) => (a.queued?.at ?? a.updatedAt).localeCompare(b.queued?.at ?? b.updatedAt));
    this.queue.push(...queued.map((record) => record.id));
    await this.startQueued();
  }

  /** The live state of a run with a trainer, or undefined when none is running. */
  live(runId: string): LiveRunState | undefined {
    const run = this.active.get(runId);
    return run ? { ...run.state } : undefined;
  }

  /** True while a trainer process exists for the run. */
  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /** Start a trainer for a stored run (a new run, resume false, or from its last checkpoint), or queue it when every slot is taken. */
  async start(runId: string, options: { resume: boolean }): Promise<void> {
    if (this.active.has(runId) || this.starting.has(runId)) throw new StudioError(`Run ${runId} is already training.`, 'Pause or stop it first.');
    if (this.isQueued(runId)) throw new StudioError(`Run ${runId} is already queued.`, 'It starts when a running run ends; stop it to take it out of the queue.');
    await this.checkStartable(runId, options);
    const limit = await this.maxConcurrentRuns();
    // From here to the slot being taken nothing awaits, so two starts cannot both take the last slot.
    if (this.active.has(runId) || this.starting.has(runId) || this.isQueued(runId)) throw new StudioError(`Run ${runId} is already starting.`);
    if (this.active.size + this.starting.size >= limit) return this.enqueue(runId, options.resume);
    this.starting.add(runId);
    try {
      await this.launch(runId, options);
    } finally {
      this.starting.delete(runId);
    }
  }

  /** Take a queued run out of the queue: a new run ends stopped, a resume goes back to the status it had (Resume queues it again). */
  async dequeue(runId: string): Promise<void> {
    const at = this.queue.indexOf(runId);
    if (at < 0) return;
    this.queue.splice(at, 1);
    try {
      await recordDequeued(this.options.runsRoot, runId);
    } finally {
      this.options.onRunChanged(runId);
    }
  }

  private maxConcurrentRuns(): Promise<number> {
    this.limit ??= this.options.maxConcurrentRuns();
    return this.limit;
  }

  private async enqueue(runId: string, resume: boolean): Promise<void> {
    this.queue.push(runId);
    try {
      await recordQueued(this.options.runsRoot, runId, resume);
    } catch (error) {
      this.queue.splice(this.queue.indexOf(runId), 1);
      throw error;
    } finally {
      this.options.onRunChanged(runId);
    }
  }

  /**
   * Start queued runs while slots are free. One that can no longer start: a new run is marked failed with
   * the reason; a resume goes back to the status it had, with the reason noted beside it.
   */
  private async startQueued(): Promise<void> {
    const limit = await this.maxConcurrentRuns();
    while (this.queue.length > 0 && this.active.size + this.starting.size < limit) {
      const runId = this.queue.shift()!;
      this.starting.add(runId);
      let resume = true;
      try {
        // Another studio sharing this runs folder took it up first: its run.json is that studio's to write.
        if (await activeRunLock(runDirOf(this.options.runsRoot, runId))) continue;
        const record = await readRunRecord(this.options.runsRoot, runId);
        resume = record.queued?.resume ?? true;
        await this.checkStartable(runId, { resume });
        await this.launch(runId, { resume });
      } catch (error) {
        await this.markUnstartable(runId, error as Error, resume);
      } finally {
        this.starting.delete(runId);
      }
    }
  }

  private async markUnstartable(runId: string, error: Error, resume: boolean): Promise<void> {
    const hint = error instanceof StudioError && error.hint ? ` ${error.hint}` : '';
    try {
      await recordUnstartable(this.options.runsRoot, runId, resume, `${error.message}${hint}`);
    } catch {
      // The run folder is gone (deleted while queued): nothing to mark.
    }
    this.options.onRunChanged(runId);
  }

  /** Refusals that hold whether the run starts now, from the queue, or as a Slurm job. */
  async checkStartable(runId: string, options: { resume: boolean }): Promise<void> {
    const record = await readRunRecord(this.options.runsRoot, runId);
    if (options.resume && record.status === 'completed') {
      throw new StudioError(`Run ${runId} has already completed all ${record.config.epochs} epochs.`, 'Start a new run to train longer.');
    }
    if (!existsSync(record.dataset.dir)) {
      // Refused here rather than by the trainer: a failed run whose Resume can only fail again helps no one.
      const preset = PRESETS[record.config.preset];
      throw new StudioError(
        `The dataset "${record.dataset.name}" this run trains on is no longer in the library (its cache ${record.dataset.dir} was deleted).`,
        `Import the same source again at ${preset.imageSize}×${preset.imageSize}, ${preset.channels === 1 ? 'gray' : 'RGB'}, with the same image limit; then resume. ` +
          `From a terminal: gan-studio train --resume RUN_DIR --data PATH.`,
      );
    }
    // A trainer outside this studio (a terminal, another window) may hold the run: leave its run.json alone.
    const runDir = runDirOf(this.options.runsRoot, runId);
    const owner = await activeRunLock(runDir);
    if (owner) throw new StudioError(lockedError(runDir, owner).message, 'Stop it where it runs, then resume it here.');
  }

  private async launch(runId: string, options: { resume: boolean }): Promise<void> {
    const runDir = runDirOf(this.options.runsRoot, runId);
    // Written before the trainer exists, so no other writer races this update. A resume keeps the
    // run's status (out of the queue) until its trainer accepts it, so a refused one changes nothing.
    const record = options.resume
      ? await recordResumeStarting(this.options.runsRoot, runId)
      : await updateRunRecord(this.options.runsRoot, runId, { status: 'running', failure: undefined, queued: undefined });
    let connection: TrainerConnection;
    try {
      connection = this.options.launcher();
    } catch (error) {
      const message = `Could not start the trainer process: ${(error as Error).message}`;
      if (!options.resume) {
        await updateRunRecord(this.options.runsRoot, runId, { status: 'failed', failure: { kind: 'error', message } });
        this.options.onRunChanged(runId);
      }
      throw new StudioError(message, 'Run "npm run build" if the trainer is not built, then resume the run.');
    }
    const run = this.track(runId, record, connection, options.resume);
    connection.send({
      type: 'start',
      runDir,
      datasetDir: record.dataset.dir,
      config: record.config,
      resume: options.resume,
      ...(record.config.backend ? { backend: record.config.backend } : {}),
    });
    run.state.status = 'running';
    this.options.onRunChanged(runId);
  }

  /** Ask a running trainer to pause after its current step. */
  pause(runId: string): void {
    const run = this.requireActive(runId, 'pause');
    if (run.state.status !== 'running') throw new StudioError(`Run ${runId} is ${run.state.status}, not running.`);
    run.connection.send({ type: 'pause' });
  }

  /**
   * Resume a paused trainer, or restart a stopped/crashed/failed run from its last checkpoint;
   * `backend` (a restart only) becomes the run's backend from now on, kept in its config.
   */
  async resume(runId: string, backend?: BackendName): Promise<void> {
    if (this.isQueued(runId)) return;
    const run = this.active.get(runId);
    if (run && backend) throw new StudioError(`Run ${runId} is ${run.state.status}: it keeps its backend until it ends.`, 'Stop it, then resume it on another backend.');
    if (!run) {
      if (backend) {
        const record = await readRunRecord(this.options.runsRoot, runId);
        await updateRunRecord(this.options.runsRoot, runId, { config: { ...record.config, backend } });
      }
      return this.start(runId, { resume: true });
    }
    if (run.state.status !== 'paused') throw new StudioError(`Run ${runId} is ${run.state.status}, not paused.`);
    run.connection.send({ type: 'resume' });
  }

  /** Ask the trainer to checkpoint and stop; killed if it does not exit within the grace period. */
  stop(runId: string): void {
    const run = this.active.get(runId);
    if (!run) return;
    run.connection.send({ type: 'stop' });
    this.armKill(run);
  }

  /** Stop every trainer (app quit) and wait until all have exited. Queued runs stay queued in run.json for the next start. */
  async stopAll(): Promise<void> {
    this.queue.length = 0;
    const exits = [...this.active.entries()].map(([runId, run]) => {
      this.stop(runId);
      return run.exited;
    });
    await Promise.all(exits);
  }

  /** Resolves once the run's trainer has exited and run.json is final (immediately when idle). */
  async whenIdle(runId: string): Promise<void> {
    await this.active.get(runId)?.exited;
  }

  private requireActive(runId: string, verb: string): ActiveRun {
    const run = this.active.get(runId);
    if (!run) throw new StudioError(`Cannot ${verb} run ${runId}: it is not training.`, 'Resume it first.');
    return run;
  }

  private track(runId: string, record: RunRecord, connection: TrainerConnection, resume: boolean): ActiveRun {
    let markExited!: () => void;
    const run: ActiveRun = {
      connection,
      resume,
      state: { status: 'running', epoch: record.epoch, step: record.step, ...(record.backend ? { backend: record.backend } : {}) },
      exited: new Promise<void>((resolve) => (markExited = resolve)),
      dispose: () => undefined,
    };
    const offEvent = connection.onEvent((event) => this.relay(runId, run, event));
    const offExit = connection.onExit((exit) => {
      void this.finish(runId, run, exit).finally(markExited);
    });
    run.dispose = () => {
      offEvent();
      offExit();
      if (run.killTimer) clearTimeout(run.killTimer);
    };
    this.active.set(runId, run);
    return run;
  }

  private relay(runId: string, run: ActiveRun, event: TrainerEvent): void {
    const { emit, onRunChanged, urlForRunFile } = this.options;
    switch (event.type) {
      case 'started':
        run.state = { ...run.state, status: 'running', backend: event.backend, epoch: event.startEpoch, step: event.startStep };
        onRunChanged(runId);
        break;
      case 'steps':
        emit({ type: 'run-steps', runId, steps: event.steps });
        break;
      case 'epoch':
        run.state.epoch = event.metrics.epoch;
        run.state.step = event.metrics.step;
        emit({ type: 'run-epoch', runId, metrics: event.metrics });
        onRunChanged(runId);
        break;
      case 'sample':
        emit({ type: 'run-sample', runId, epoch: event.epoch, step: event.step, url: urlForRunFile(runId, event.file) });
        onRunChanged(runId);
        break;
      case 'scores':
        emit({ type: 'run-scores', runId, record: event.record });
        onRunChanged(runId);
        break;
      case 'classifier-progress':
        emit({ type: 'progress', progress: { operation: SCORE_CLASSIFIER_OPERATION, done: event.done, total: event.total } });
        break;
      case 'checkpoint':
        break;
      case 'paused':
      case 'resumed':
        run.state.status = event.type === 'paused' ? 'paused' : 'running';
        onRunChanged(runId);
        break;
      case 'finished':
      case 'failed':
        run.ending = event;
        // A refused resume never was a failed run: it shows as it was once its trainer is gone.
        if (!isRefusedResume(run)) {
          run.state = { ...run.state, ...endState(event) };
          onRunChanged(runId);
        }
        // The trainer exits by itself after its last word; one that lingers is killed.
        this.armKill(run);
        break;
    }
  }

  private armKill(run: ActiveRun): void {
    if (run.killTimer) return;
    run.killTimer = setTimeout(() => run.connection.kill(), this.exitGraceMs);
    run.killTimer.unref();
  }

  /** The process is gone: write the final status (no race — nobody else writes now) and forget it. */
  private async finish(runId: string, run: ActiveRun, exit: { code: number | null; signal: string | null }): Promise<void> {
    run.dispose();
    try {
      // The trainer wrote nothing: the status stays, and why the resume could not start is added beside it.
      if (isRefusedResume(run)) await recordRefusedResume(this.options.runsRoot, runId, run.ending.error.message);
      else await recordRunEnding(this.options.runsRoot, runId, run, exit);
    } catch (error) {
      // The run folder may have been deleted while training; there is nothing left to mark.
      if (!(error instanceof StudioError)) throw error;
    } finally {
      this.active.delete(runId);
      this.options.onRunChanged(runId);
    }
    // A slot is free: the next queued run starts.
    await this.startQueued();
  }
}
