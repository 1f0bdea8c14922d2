/**
 * One run's page data: the bounded overview getRun sends and the ranges the
 * charts ask for as they zoom. Every kind of record is read through a cache
 * and sent bounded, whatever the run's length; damaged lines are skipped and
 * said, never passed on.
 */
import type { RunDetail, RunHistory, SampleRef, StepRange } from '../../shared/api';
import { RUN_FILES } from '../runs';
import { jobFiles } from '../slurm/studio-side';
import { readRunRecord, runDirOf, sampleEntries, type SampleEntry } from './run-files';
import { damageNote } from './run-health';
import type { RunSummaries } from './run-summaries';
import { RunHistoryCache } from './steps/history-cache';
import { historyOverview, historyRange, type HistoryRecords } from './steps/run-history';
import { msAfterStep, RunStepsCache, stepOverview, stepRange } from './steps/run-steps';

export interface RunReadsOptions {
  runsRoot: string;
  urlForRunFile(runId: string, relPath: string): string;
  summaries: RunSummaries;
}

export class RunReads {
  private readonly steps = new RunStepsCache();
  private readonly history = new RunHistoryCache();

  constructor(private readonly options: RunReadsOptions) {}

  async getRun(runId: string): Promise<RunDetail> {
    const record = await readRunRecord(this.options.runsRoot, runId);
    const dir = runDirOf(this.options.runsRoot, runId);
    const [index, history] = await Promise.all([this.steps.index(dir), this.readHistory(dir)]);
    // Damaged lines were skipped by each reader; the run opens with every good record and says what was skipped.
    const damageNotes = [...damageNote(RUN_FILES.metrics, index.damage, index.count), ...history.notes];
    const steps = stepOverview(index);
    const { epochs } = history.records;
    const { samples, ...overview } = historyOverview(history.records);
    const files = record.slurm ? await jobFiles(dir, (rel) => this.options.urlForRunFile(runId, rel)) : undefined;
    return {
      run: await this.options.summaries.summarize(record, { damageNotes, latestSample: history.records.samples.at(-1)?.file ?? null }),
      steps: steps.steps,
      stepCount: steps.count,
      msSinceLastEpoch: msAfterStep(index, epochs.at(-1)?.step ?? 0),
      epochSeconds: epochs.reduce((sum, epoch) => sum + (Number.isFinite(epoch.seconds) ? epoch.seconds : 0), 0),
      ...overview,
      samples: this.sampleRefs(runId, samples),
      ...(files ? { jobFiles: files } : {}),
    };
  }

  async getRunSteps(runId: string, fromStep: number, toStep: number): Promise<StepRange> {
    await readRunRecord(this.options.runsRoot, runId);
    return stepRange(await this.steps.index(runDirOf(this.options.runsRoot, runId)), fromStep, toStep);
  }

  async getRunHistory(runId: string, fromEpoch: number, toEpoch: number): Promise<RunHistory> {
    await readRunRecord(this.options.runsRoot, runId);
    const { records } = await this.readHistory(runDirOf(this.options.runsRoot, runId));
    const { samples, ...range } = historyRange(records, fromEpoch, toEpoch);
    return { ...range, samples: this.sampleRefs(runId, samples) };
  }

  /** A deleted run's cached indexes go with it. */
  forget(runId: string): void {
    const dir = runDirOf(this.options.runsRoot, runId);
    this.steps.forget(dir);
    this.history.forget(dir);
  }

  /** Every good epoch and score record and every grid of a run, and notes on damaged lines skipped. */
  private async readHistory(dir: string): Promise<{ records: HistoryRecords; notes: string[] }> {
    const { epochs, scores, samples, notes } = await this.history.read(dir);
    return { records: { epochs, samples: sampleEntries(samples, epochs), scores }, notes };
  }

  private sampleRefs(runId: string, samples: SampleEntry[]): SampleRef[] {
    return samples.map((sample) => ({ epoch: sample.epoch, step: sample.step, url: this.options.urlForRunFile(runId, sample.file) }));
  }
}
