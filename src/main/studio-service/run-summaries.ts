/**
 * How a run looks in the UI's lists and headers: run.json, plus what only the
 * live trainer knows yet, plus the newest sample grid's URL and scores — and
 * "crashed" for a run.json left saying running with no trainer behind it;
 * what run.json still says of an earlier attempt is left out while a new one is under way.
 */
import type { RunListItem, RunSummary } from '../../shared/api';
import type { DamagedRun, RunRecord } from '../../shared/run';
import type { RunManager } from '../run-manager';
import { listRuns, listSamples } from '../runs';
import { activeRunLock } from '../runs/run-lock';
import { readLatestScores } from './latest-scores';
import { RunHealth } from './run-health';
import { runDirOf } from './run-files';

export interface RunSummariesOptions {
  runsRoot: string;
  urlForRunFile(runId: string, relPath: string): string;
  runs: Pick<RunManager, 'live' | 'isActive'>;
}

export class RunSummaries {
  private readonly health = new RunHealth();

  constructor(private readonly options: RunSummariesOptions) {}

  /** Every run folder, damaged ones with their reason. */
  async list(): Promise<RunListItem[]> {
    const entries = await listRuns(this.options.runsRoot);
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
    const latest = known ? known.latestSample : ((await listSamples(dir)).at(-1)?.file ?? null);
    const notes = known?.damageNotes ?? (await this.health.notes(dir));
    return {
      ...withoutStaleNotes(record, live !== undefined),
      ...(await this.interruptedStatus(record)),
      ...(live ?? {}),
      latestSampleUrl: latest ? this.options.urlForRunFile(record.id, latest) : null,
      latestScores: await readLatestScores(dir),
      ...(notes.length > 0 ? { damageNotes: notes } : {}),
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

/** A readable run whose folder still could not be listed (e.g. samples/ without permission). */
function damagedSummary(record: RunRecord, error: unknown): DamagedRun {
  return { id: record.id, name: record.name, status: 'damaged', damage: (error as Error).message, createdAt: record.createdAt };
}
