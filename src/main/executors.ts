/**
 * Where runs train — this machine's queue (RunManager) or a Slurm cluster
 * (SlurmExecutor) — behind the few verbs StudioService needs: start new runs,
 * resume, stop, pause, and let go of a run before it is deleted. A run's own
 * run.json says which executor has it (`slurm` set: Slurm), so a restarted
 * studio, or another front end, routes it the same way.
 */
import type { BackendName } from '../shared/backends';
import type { RunRecord } from '../shared/run';
import { describeJob, type ExecutorChoice } from '../shared/slurm';
import type { RunManager } from './studio-service/run-manager';
import { saveSlurmSettings } from './slurm/settings-store';
import type { SlurmExecutor } from './slurm/slurm-executor';
import type { SubmitOptions } from './slurm/submit';
import { StudioError } from './studio-service/errors';
import { readRunRecord, updateRunRecord } from './studio-service/run-files';
import { startInOrder } from './studio-service/repeat';

export interface ExecutorsOptions {
  runsRoot: string;
  local: RunManager;
  slurm: SlurmExecutor;
  onRunChanged(runId: string): void;
}

export class Executors {
  constructor(private readonly options: ExecutorsOptions) {}

  get slurm(): SlurmExecutor {
    return this.options.slurm;
  }

  /** Refuse before any run folder exists when the chosen executor cannot take runs (no Slurm here). */
  async ensureAvailable(choice: ExecutorChoice | undefined): Promise<void> {
    if (choice?.kind === 'slurm') await this.options.slurm.ensureAvailable();
  }

  /**
   * Start new runs (created, never trained) where `choice` says: in order through the local
   * queue, or as one Slurm submission (an array for several). Resolves with warnings to show.
   */
  async startNew(records: RunRecord[], choice: ExecutorChoice, options: SubmitOptions = {}): Promise<string[]> {
    if (choice.kind === 'slurm') {
      const { warnings } = await this.options.slurm.submit(records, choice.slurm, options);
      await saveSlurmSettings(this.options.runsRoot, choice.slurm);
      return warnings;
    }
    await startInOrder(
      records.map((record) => record.id),
      this.options.local,
      async (id, error) => {
        const hint = error instanceof StudioError && error.hint ? ` ${error.hint}` : '';
        await updateRunRecord(this.options.runsRoot, id, { status: 'failed', failure: { kind: 'error', message: `This run could not start: ${error.message}${hint}` } });
        this.options.onRunChanged(id);
      },
    );
    return [];
  }

  /** Resume where the run trained: a Slurm run is submitted again (its checkpoint is where it goes on). */
  async resume(runId: string, backend?: BackendName): Promise<void> {
    const { local, slurm } = this.options;
    const record = await readRunRecord(this.options.runsRoot, runId);
    if (!record.slurm || local.isActive(runId) || local.isQueued(runId)) return local.resume(runId, backend);
    if (slurm.isLive(runId)) {
      const job = slurm.view(record);
      throw new StudioError(`Run ${runId} is already with Slurm (${job ? describeJob(job) : 'submitted'}).`, 'Stop it first to submit it again.');
    }
    await local.checkStartable(runId, { resume: true });
    const submitted = backend ? await updateRunRecord(this.options.runsRoot, runId, { config: { ...record.config, backend } }) : record;
    await slurm.submit([submitted], record.slurm.settings, record.slurm.sweepId ? { sweepId: record.slurm.sweepId } : {});
  }

  /** Stop with a checkpoint: the local trainer is told; a Slurm job is signalled, then cancelled. */
  async stop(runId: string): Promise<'slurm' | 'local'> {
    if (!this.options.slurm.isLive(runId)) return 'local';
    await this.options.slurm.stop(runId);
    return 'slurm';
  }

  /** Pause is the local trainer's: a Slurm job holds its node until it ends, so it stops instead. */
  pause(runId: string): void {
    if (this.options.slurm.isLive(runId)) {
      throw new StudioError(
        `Run ${runId} trains on Slurm, where a paused job would keep its node and time.`,
        'Stop it instead: it saves a checkpoint, and Resume submits it again.',
      );
    }
    this.options.local.pause(runId);
  }

  /** Let go of a run about to be deleted: its Slurm job is cancelled and gone before its folder is. */
  async release(runId: string): Promise<void> {
    if (this.options.slurm.isLive(runId)) await this.options.slurm.cancel(runId);
  }

  /** True while a trainer (here) or a job (on Slurm) may write the run's folder. */
  isTraining(runId: string): boolean {
    return this.options.local.isActive(runId) || this.options.slurm.isLive(runId);
  }
}
