/**
 * How a run looks in the UI's lists and headers: run.json, plus what only the
 * live trainer knows yet, plus the newest sample grid's URL and scores — and
 * "crashed" for a run.json left saying running with no trainer behind it;
 * what run.json still says of an earlier attempt is left out while a new one is under way.
 */
import { dirname, join } from 'node:path';
import type { RunListItem, RunSummary } from '../../shared/api';
import type { DamagedRun, RunRecord } from '../../shared/run';
import type { SlurmJobView } from '../../shared/slurm';
import type { RunManager } from './run-manager';
import { listSamples, RUN_FILES } from '../runs';
import { activeRunLock } from '../runs/run-lock';
import { FileVersionCache } from './file-version-cache';
import { readLatestScores } from './latest-scores';
import { RunHealth } from './run-health';
import { RunListCache } from './run-list-cache';
import { runDirOf } from './run-files';

export interface RunSummariesOptions {
  runsRoot: string;
  urlForRunFile(runId: string, relPath: string): string;
  runs: Pick<RunManager, 'live' | 'isActive'>;
  /** A Slurm run's job, as last seen (no Slurm call per summary). */
  jobs: { view(record: RunRecord): SlurmJobView | undefined };
}

export class RunSummaries {
  // Each read again only when its file (or the samples folder) changed: listing a 1,000-run sweep stays cheap.
  private readonly runList = new RunListCache();
  private readonly samples = new FileVersionCache<Awaited<ReturnType<typeof listSamples>>>();
  private readonly scores = new FileVersionCache<Awaited<ReturnType<typeof readLatestScores>>>();
  private readonly health = new RunHealth();

  constructor(private readonly options: RunSummariesOptions) {}

  /** Every run folder, damaged ones with their reason. */
  async list(): Promise<RunListItem[]> {
    const entries = await this.runList.list(this.options.runsRoot);
    const dirs = new Set(entries.map((entry) => entry.dir));
    this.samples.retain((path) => dirs.has(dirname(path)));
    this.scores.retain((path) => dirs.has(dirname(path)));
    // One run's unreadable folder (samples/ without permission) must not fail the whole list either.
    return Promise.all(entries.map(({ record, damaged }) => (record ? this.summarize(record).catch((error: unknown) => damagedSummary(record, error)) : damaged)));
  }

  /**
   * run.json plus what only the live trainer knows yet, plus the newest grid's URL and the notes on
   * damaged lines in its files — `known` when the caller has just read the run's files itself
   * (the grids' newest file, null for none).
   */
  async summarize(record: RunRecord, known?: { damageNotes: string[]; latestSample: string | null }): Promise<RunSummary> {
    const dir = runDirOf(this.options.runsRoot, record.id);
    const live = this.options.runs.live(record.id);
    const job = this.options.jobs.view(record);
    const [samples, latestScores, notes] = await Promise.all([
      known ? undefined : this.samples.get(join(dir, RUN_FILES.samples), () => listSamples(dir), async () => []),
      this.scores.get(join(dir, RUN_FILES.scores), () => readLatestScores(dir), async () => null),
      known?.damageNotes ?? this.health.notes(dir),
    ]);
    const latest = known ? known.latestSample : (samples?.at(-1)?.file ?? null);
    return {
      ...withoutStaleNotes(record, live !== undefined),
      ...(job ? jobStatus(record, job) : await this.interruptedStatus(record)),
      ...(live ?? {}),
      latestSampleUrl: latest ? this.options.urlForRunFile(record.id, latest) : null,
      latestScores,
      ...(notes.length > 0 ? { damageNotes: notes } : {}),
      ...(job ? { job } : {}),
    };
  }

  /** Forget what was read of a deleted run. */
  forget(runId: string): void {
    this.health.forget(runDirOf(this.options.runsRoot, runId));
  }

  /**
   * A run.json still saying running/paused with no trainer holding the run's lock was
   * interrupted (the app or the machine died mid-training): show it as crashed, resumable.
   */
  private async interruptedStatus(record: RunRecord): Promise<Partial<RunRecord>> {
    if ((record.status !== 'running' && record.status !== 'paused') || this.options.runs.isActive(record.id)) return {};
    if (await activeRunLock(runDirOf(this.options.runsRoot, record.id))) return {};
    return {
      status: 'crashed',
      failure: {
        kind: 'crashed',
        message: 'Training was interrupted (the studio or the machine closed while it ran). Resume continues from the last checkpoint.',
      },
    };
  }
}

/**
 * While a new attempt is queued or training, an earlier resume's refusal is old news — and once a
 * trainer runs, so is an earlier failure (the trainer clears both from run.json when it accepts the start).
 */
function withoutStaleNotes(record: RunRecord, training: boolean): RunRecord {
  const { resumeRefused, failure, ...rest } = record;
  return {
    ...rest,
    ...(resumeRefused && !training && record.status !== 'queued' ? { resumeRefused } : {}),
    ...(failure && !training ? { failure } : {}),
  };
}

/**
 * A Slurm run's status while its job lives: pending (or requeued) shows as queued, running as
 * running — whatever run.json said when the last attempt stopped. An ended job already settled run.json.
 */
function jobStatus(record: RunRecord, job: SlurmJobView): Partial<RunRecord> {
  if (['completed', 'failed'].includes(record.status)) return {};
  if (['SUBMITTING', 'PENDING', 'REQUEUED'].includes(job.state)) return { status: 'queued' };
  if (['RUNNING', 'COMPLETING', 'SUSPENDED'].includes(job.state)) return { status: 'running' };
  return {};
}

/** A readable run whose folder still could not be listed (e.g. samples/ without permission). */
function damagedSummary(record: RunRecord, error: unknown): DamagedRun {
  return { id: record.id, name: record.name, status: 'damaged', damage: (error as Error).message, createdAt: record.createdAt };
}
