/**
 * StudioService: the whole StudioApi over the engine, with no Electron (or
 * HTTP) in sight. Electron IPC and the `serve` WebSocket are thin transports
 * over one instance. Run files reach the UI as URLs made by the transport
 * (studio://… or /files/…), never by value.
 */
import { rm } from 'node:fs/promises';
import type { z } from 'zod';
import type {
  AppInfo,
  DatasetInfo,
  EvidenceRequest,
  EvidenceResult,
  ExecutorsInfo,
  ExportResult,
  ExportRunRequest,
  ModelSummaries,
  GenerateRequest,
  PresetInfo,
  RunDetail,
  RunHistory,
  RunListItem,
  RunSummary,
  StepRange,
  StudioApi,
  StudioEvent,
  SweepResult,
} from '../shared/api';
import type { BackendName, BackendReport } from '../shared/backends';
import type { DoctorReport } from '../shared/doctor';
import type { GenerateResult, GeneratorCheckpoint } from '../shared/generate';
import { resolveTrainingConfig, type TrainingConfig, type trainingConfigInputSchema } from '../shared/config';
import { autoRunName } from '../shared/run-name';
import type { ImportOptions } from '../shared/dataset';
import type { ExecutorChoice } from '../shared/slurm';
import type { SweepRequest } from '../shared/sweep';
import { Executors } from './executors';
import { studioVersion } from './paths';
import { RunManager } from './studio-service/run-manager';
import { describeExecutors } from './slurm/studio-side';
import { SlurmExecutor, type SlurmExecutorOptions } from './slurm/slurm-executor';
import { createSweepRuns } from './studio-service/sweeps';
import { defaultMaxConcurrentRuns } from './training-slots';
import { createRunDir, listRuns } from './runs';
import { activeRunLock } from './runs/run-lock';
import { DatasetStore } from './studio-service/datasets';
import { StudioError } from './studio-service/errors';
import { ExportJobs } from './studio-service/exports';
import { GenerateJobs } from './studio-service/generate';
import { listPresetInfos, summarizeConfigInput } from './studio-service/presets';
import { readRunRecord, requireRunFolder, runDirOf, updateRunRecord } from './studio-service/run-files';
import { createRepeats } from './studio-service/repeat';
import { RunReads } from './studio-service/run-reads';
import { RunSummaries } from './studio-service/run-summaries';
import { resolveInsideRoot } from './studio-service/safe-files';
import { GenerateWorker, startGenerateChild, type GenerateRunner } from './generate/worker';
import { diagnoseBackendsInChild } from './studio-service/probe';
import type { TrainerLauncher } from './training/trainer-connection';

export interface StudioServiceOptions {
  runsRoot: string;
  /** Where imported datasets are cached (one folder per dataset). */
  datasetsRoot: string;
  /** Starts one trainer process (utilityProcess under Electron, a Node child elsewhere). */
  launcher: TrainerLauncher;
  shell: AppInfo['shell'];
  /** The URL the UI loads a run file from (relPath like samples/epoch-0001.png). */
  urlForRunFile(runId: string, relPath: string): string;
  /** The URL of a dataset's preview grid. */
  urlForDatasetPreview(datasetId: string): string;
  /** Show a folder in the OS file manager (Electron only). */
  reveal?(path: string): void | Promise<void>;
  /** Which backend a new run would train on; cached after the first call. */
  probeBackend(): Promise<BackendReport>;
  /** The doctor's report, from a short-lived process (default: a Node child; Electron: a utility process). */
  diagnoseBackends?(): Promise<DoctorReport>;
  /** Trainers at once (more runs wait as queued); default one per GPU, else one. */
  maxConcurrentRuns?: number;
  /** An import of `source` ended, imported or failed (serve then removes the upload it came from). */
  onImportSettled?(source: string): Promise<void>;
  /** A clearer reason for a failed import of `source` (serve: an upload removed after its first import), if any. */
  explainImportFailure?(source: string): Error | undefined;
  /** Runs generate jobs in their own process (default: a Node child; Electron: a utility process). */
  generate?: GenerateRunner;
  /** How runs reach Slurm (default: the commands on PATH, this Node and CLI on the nodes). */
  slurm?: Pick<SlurmExecutorOptions, 'commands' | 'launch' | 'pollMs' | 'followMs' | 'stopGraceMs' | 'recoverAfterMs'>;
  /** Start the local runs a closed studio left queued (default true; a CLI sweep leaves them to the studio). */
  takeUpQueue?: boolean;
}

type CreateRunRequest = {
  name?: string;
  datasetId: string;
  config: z.input<typeof trainingConfigInputSchema>;
  parentRunId?: string;
  executor?: ExecutorChoice;
};

export class StudioService implements StudioApi {
  readonly runs: RunManager;
  readonly executors: Executors;
  private readonly datasets: DatasetStore;
  private readonly exports: ExportJobs;
  private readonly generator: GenerateJobs;
  private readonly summaries: RunSummaries;
  private readonly reads: RunReads;
  private readonly listeners = new Set<(event: StudioEvent) => void>();
  private backend: Promise<BackendReport> | undefined;
  private diagnosis: Promise<DoctorReport> | undefined;

  constructor(private readonly options: StudioServiceOptions) {
    this.datasets = new DatasetStore({
      datasetsRoot: options.datasetsRoot,
      urlForDatasetPreview: options.urlForDatasetPreview,
      progress: (progress) => this.emit({ type: 'progress', progress }),
    });
    this.exports = new ExportJobs({
      runsRoot: options.runsRoot,
      urlForRunFile: options.urlForRunFile,
      progress: (progress) => this.emit({ type: 'progress', progress }),
    });
    this.generator = new GenerateJobs({ runsRoot: options.runsRoot, urlForRunFile: options.urlForRunFile, runner: options.generate ?? new GenerateWorker(startGenerateChild) });
    this.runs = new RunManager({
      runsRoot: options.runsRoot,
      launcher: options.launcher,
      emit: (event) => this.emit(event),
      urlForRunFile: options.urlForRunFile,
      onRunChanged: (runId) => void this.announceRun(runId),
      maxConcurrentRuns: async () => options.maxConcurrentRuns ?? (await defaultMaxConcurrentRuns()),
    });
    const slurm = new SlurmExecutor({
      runsRoot: options.runsRoot,
      emit: (event) => this.emit(event),
      urlForRunFile: options.urlForRunFile,
      onRunChanged: (runId) => void this.announceRun(runId),
      ...options.slurm,
    });
    this.executors = new Executors({ runsRoot: options.runsRoot, local: this.runs, slurm, onRunChanged: (runId) => void this.announceRun(runId) });
    this.summaries = new RunSummaries({ runsRoot: options.runsRoot, urlForRunFile: options.urlForRunFile, runs: this.runs, jobs: slurm });
    this.reads = new RunReads({ runsRoot: options.runsRoot, urlForRunFile: options.urlForRunFile, summaries: this.summaries });
    // Runs queued when the studio last closed start again, in order; Slurm jobs are watched again.
    if (options.takeUpQueue ?? true) {
      this.runs.restoreQueue().catch((error: unknown) => console.error(`Could not restore the run queue: ${(error as Error).message}`));
    }
    slurm.restore().catch((error: unknown) => console.error(`Could not pick up the Slurm jobs: ${(error as Error).message}`));
  }

  async getAppInfo(): Promise<AppInfo> {
    this.backend ??= this.options.probeBackend();
    this.backend.catch(() => (this.backend = undefined));
    return { version: studioVersion(), runsRoot: this.options.runsRoot, shell: this.options.shell, backend: await this.backend };
  }

  /** One diagnosis at a time: a second caller while one runs shares its answer. */
  diagnoseBackends(): Promise<DoctorReport> {
    this.diagnosis ??= (this.options.diagnoseBackends ?? diagnoseBackendsInChild)().finally(() => (this.diagnosis = undefined));
    return this.diagnosis;
  }

  listPresets(): Promise<PresetInfo[]> {
    return listPresetInfos();
  }

  async summarizeModels(config: z.input<typeof trainingConfigInputSchema>): Promise<ModelSummaries> {
    return summarizeConfigInput(config);
  }

  listDatasets(): Promise<DatasetInfo[]> {
    return this.datasets.list();
  }

  async importDataset(source: string, options?: ImportOptions): Promise<DatasetInfo> {
    try {
      return await this.datasets.import(source, options);
    } catch (error) {
      throw this.options.explainImportFailure?.(source) ?? error;
    } finally {
      await this.options.onImportSettled?.(source);
    }
  }

  importBuiltinDataset(): Promise<DatasetInfo> {
    return this.datasets.importBuiltin();
  }

  /** True when `path` is the source of a cached dataset (the desktop app lets such a path be re-imported). */
  isDatasetSource(path: string): Promise<boolean> {
    return this.datasets.isSource(path);
  }

  async deleteDataset(datasetId: string): Promise<void> {
    const dir = this.datasets.dirOf(datasetId);
    for (const { record } of await listRuns(this.options.runsRoot)) {
      if (record && record.dataset.dir === dir && this.executors.isTraining(record.id)) {
        throw new StudioError(`Dataset ${datasetId} is in use by run ${record.name}, which is training.`, 'Stop the run first.');
      }
    }
    await this.datasets.delete(datasetId);
  }

  listRuns(): Promise<RunListItem[]> {
    return this.summaries.list();
  }

  getRun(runId: string): Promise<RunDetail> {
    return this.reads.getRun(runId);
  }

  getRunSteps(runId: string, fromStep: number, toStep: number): Promise<StepRange> {
    return this.reads.getRunSteps(runId, fromStep, toStep);
  }

  getRunHistory(runId: string, fromEpoch: number, toEpoch: number): Promise<RunHistory> {
    return this.reads.getRunHistory(runId, fromEpoch, toEpoch);
  }

  async createRun(request: CreateRunRequest): Promise<RunSummary> {
    const config = resolveTrainingConfig(request.config);
    await this.executors.ensureAvailable(request.executor);
    // A dataset of another shape is the trainer's to refuse (a failed run with the reason and what to do);
    // the New run view offers the re-import at the preset's shape before it gets that far.
    const manifest = await this.datasets.manifest(request.datasetId);
    // Unlike a shape mismatch, nothing about the dataset fixes this: refuse before a (failed) run exists.
    if (manifest.count < config.batchSize) {
      throw new StudioError(
        `Batch size ${config.batchSize} needs at least that many images, but dataset "${manifest.name}" has ${manifest.count}.`,
        `Set the batch size to ${manifest.count} or less, or pick a larger dataset.`,
      );
    }
    const { record } = await createRunDir(this.options.runsRoot, {
      config,
      dataset: {
        id: manifest.id,
        name: manifest.name,
        fingerprint: manifest.source.fingerprint,
        dir: this.datasets.dirOf(manifest.id),
        source: { path: manifest.source.path, kind: manifest.source.kind, options: manifest.options },
      },
      name: request.name ?? autoRunName(config, manifest.name, await this.parentConfig(request.parentRunId)),
    });
    if (request.executor?.kind === 'slurm') await this.executors.startNew([record], request.executor);
    else await this.runs.start(record.id, { resume: false });
    return this.summaries.summarize(await readRunRecord(this.options.runsRoot, record.id));
  }

  async createSweep(request: SweepRequest): Promise<SweepResult> {
    await this.executors.ensureAvailable(request.executor);
    const manifest = await this.datasets.manifest(request.datasetId);
    const { sweepId, records } = await createSweepRuns(this.options.runsRoot, request, manifest, this.datasets.dirOf(manifest.id));
    const warnings = await this.executors.startNew(records, request.executor, { sweepId, ...(request.throttle ? { throttle: request.throttle } : {}) });
    const runs = await Promise.all(records.map(async (record) => this.summaries.summarize(await readRunRecord(this.options.runsRoot, record.id))));
    return { sweepId, runs, warnings };
  }

  getExecutors(): Promise<ExecutorsInfo> {
    return describeExecutors(this.executors.slurm, this.options.runsRoot, this.options.datasetsRoot);
  }

  /** The config of the run a new one varies; a parent that is gone or unreadable just means "name it from the preset". */
  private async parentConfig(runId: string | undefined): Promise<TrainingConfig | undefined> {
    if (!runId) return undefined;
    return readRunRecord(this.options.runsRoot, runId).then(
      (record) => record.config,
      () => undefined,
    );
  }

  async pauseRun(runId: string): Promise<void> {
    await readRunRecord(this.options.runsRoot, runId);
    this.executors.pause(runId);
  }

  resumeRun(runId: string, options?: { backend: BackendName }): Promise<void> {
    return this.executors.resume(runId, options?.backend);
  }

  async stopRun(runId: string): Promise<void> {
    const record = await readRunRecord(this.options.runsRoot, runId);
    if ((await this.executors.stop(runId)) === 'slurm') return;
    if (this.runs.isQueued(runId)) await this.runs.dequeue(runId);
    else if (this.runs.isActive(runId)) this.runs.stop(runId);
    else if (record.status === 'running' || record.status === 'paused') {
      await this.refuseIfTrainedElsewhere(runId, 'stop');
      // No trainer owns it (the studio quit mid-run): stopping just settles the record.
      await updateRunRecord(this.options.runsRoot, runId, { status: 'stopped' });
      void this.announceRun(runId);
    }
  }

  async repeatRun(runId: string, count: number): Promise<RunSummary[]> {
    const source = await readRunRecord(this.options.runsRoot, runId);
    const executor: ExecutorChoice = source.slurm ? { kind: 'slurm', slurm: source.slurm.settings } : { kind: 'local' };
    await this.executors.ensureAvailable(executor);
    const created = await createRepeats(this.options.runsRoot, source, count);
    // Where the source trained: in order through the queue (past the free slots they queue, so they
    // train one after another), or as one job array on Slurm with the source's settings.
    await this.executors.startNew(created, executor);
    return Promise.all(created.map(async (record) => this.summaries.summarize(await readRunRecord(this.options.runsRoot, record.id))));
  }

  async renameRun(runId: string, name: string): Promise<RunSummary> {
    const record = await updateRunRecord(this.options.runsRoot, runId, { name: name.trim() || runId });
    const summary = await this.summaries.summarize(record);
    this.emit({ type: 'run-updated', run: summary });
    return summary;
  }

  async deleteRun(runId: string): Promise<void> {
    // A damaged run (run.json unreadable) can be deleted too: only the folder must be a run's.
    await requireRunFolder(this.options.runsRoot, runId);
    await this.runs.dequeue(runId);
    await this.executors.release(runId);
    if (this.runs.isActive(runId)) {
      this.runs.stop(runId);
      await this.runs.whenIdle(runId);
    } else await this.refuseIfTrainedElsewhere(runId, 'delete');
    await rm(runDirOf(this.options.runsRoot, runId), { recursive: true, force: true });
    this.reads.forget(runId);
    this.summaries.forget(runId);
    this.emit({ type: 'run-deleted', runId });
  }

  /** A trainer this studio did not start (a terminal's) holds the run: it must be stopped there. */
  private async refuseIfTrainedElsewhere(runId: string, verb: string): Promise<void> {
    const owner = await activeRunLock(runDirOf(this.options.runsRoot, runId));
    if (owner) {
      throw new StudioError(
        `Cannot ${verb} run ${runId}: it is being trained by process ${owner.pid} outside this studio.`,
        'Stop it where it runs (Ctrl-C in its terminal), then try again.',
      );
    }
  }

  async revealRun(runId: string, file?: string): Promise<string> {
    await readRunRecord(this.options.runsRoot, runId);
    const dir = runDirOf(this.options.runsRoot, runId);
    // A file (an export) is shown selected in its folder; it must really be inside the run folder.
    const target = file === undefined ? dir : await resolveInsideRoot(dir, file);
    await this.options.reveal?.(target);
    return target;
  }

  exportRun(request: ExportRunRequest): Promise<ExportResult> {
    return this.exports.exportRun(request);
  }

  writeEvidence(request: EvidenceRequest): Promise<EvidenceResult> {
    return this.exports.writeEvidence(request);
  }

  async cancelExport(exportId: string): Promise<boolean> {
    return this.exports.cancel(exportId);
  }

  listCheckpoints(runId: string): Promise<GeneratorCheckpoint[]> {
    return this.generator.listCheckpoints(runId);
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    return this.generator.generate(request);
  }

  async cancelGenerate(jobId: string): Promise<boolean> {
    return this.generator.cancel(jobId);
  }

  onEvent(listener: (event: StudioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stop every trainer, cancel every export and close the generate process (quit, server shutdown). */
  shutdown(): Promise<void> {
    this.exports.cancelAll();
    this.generator.close();
    // Slurm jobs go on without the studio; the next one picks them up.
    this.executors.slurm.dispose();
    return this.runs.stopAll();
  }

  private emit(event: StudioEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One broken subscriber (a closed window or socket) must not starve the others.
      }
    }
  }

  private async announceRun(runId: string): Promise<void> {
    try {
      this.emit({ type: 'run-updated', run: await this.summaries.summarize(await readRunRecord(this.options.runsRoot, runId)) });
    } catch {
      // The run was deleted meanwhile; run-deleted already told the UI.
    }
  }
}
