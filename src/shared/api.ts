/**
 * StudioApi: the one contract between the UI and the studio. Electron IPC
 * (src/main/shell/ipc.ts + src/preload) and the `serve` WebSocket are two thin
 * transports over it. Calls are request → promise; events are a stream the
 * UI subscribes to and disposes. Every call's arguments are validated with
 * `studioCallSchemas` on the receiving side.
 */
import { z } from 'zod';
import { BACKEND_NAMES, type BackendName, type BackendReport } from './backends';
import type { DoctorReport } from './doctor';
import { trainingConfigInputSchema, type TrainingConfig } from './config';
import { importOptionsSchema, type DatasetManifest } from './dataset';
import { COMPARE_EXPORT_FORMATS, EXPORT_FORMATS } from './export-formats';
import { generateSpecSchema, generatorChoiceSchema, type GenerateResult, type GeneratorCheckpoint } from './generate';
import type { EpochMetrics, StepMetrics } from './metrics';
import type { ModelPreset, PresetName } from './presets';
import type { DamagedRun, RunRecord } from './run';
import type { ScoresRecord } from './scores';
import { executorChoiceSchema, type ExecutorChoice, type SlurmJobView, type SlurmSettings } from './slurm';
import type { ModelSummary } from './summary';
import { sweepRequestSchema, type SweepRequest } from './sweep';

export interface AppInfo {
  version: string;
  /** Where runs are kept (absolute path on the machine that trains). */
  runsRoot: string;
  /** 'electron' or 'browser' — the UI adapts a few affordances (drop paths, reveal folder). */
  shell: 'electron' | 'browser';
  /** The backend a new run would train on, and why faster ones were skipped. */
  backend: BackendReport;
}

/** Keras-style summaries of the two models a config builds. */
export interface ModelSummaries {
  generator: ModelSummary;
  discriminator: ModelSummary;
}

export interface PresetInfo extends ModelSummaries {
  preset: ModelPreset;
}

/** A run plus what the list and live views need without reading files. */
export interface RunSummary extends RunRecord {
  /** URL of the newest sample grid, or null before the first one. */
  latestSampleUrl: string | null;
  /** The newest quality-score record (scores.jsonl), or null before the first scored epoch. */
  latestScores: ScoresRecord | null;
  /**
   * One sentence per file of the run (metrics.jsonl, epochs.jsonl, scores.jsonl) holding damaged lines,
   * which were skipped: every good record is still used. Absent when every line is good.
   */
  damageNotes?: string[];
  /** A run trained on Slurm: its job as Slurm (or, once ended, run.json) tells it. */
  job?: SlurmJobView;
}

/** One row of the runs list: a run, or a folder whose run.json is damaged (status "damaged", with the reason). */
export type RunListItem = RunSummary | DamagedRun;

export interface RunDetail {
  run: RunSummary;
  /**
   * Every step record when the run has at most ~2,000; else a bounded downsample that keeps each
   * charted series' minimum and maximum per stretch of steps, the first step, and the newest steps in full.
   * getRunSteps gives any range in detail.
   */
  steps: StepMetrics[];
  /** Step records the run holds (steps.length when nothing was left out). */
  stepCount: number;
  /** Training time of the steps after the last complete epoch, in ms (counted over every step, not the downsample). */
  msSinceLastEpoch: number;
  /** Training time of every complete epoch, in seconds (summed over all of them, not only those sent). */
  epochSeconds: number;
  /**
   * Epoch records, saved grids and quality scores, each oldest first and bounded like `steps`: every
   * record when the run has at most ~500 of a kind, else a downsample of the older ones (keeping each
   * charted value's minimum and maximum per stretch; grids evenly spaced) and the newest 100 in full.
   * getRunHistory gives any epoch range in detail. SCORE_SPECS says how to show each score.
   */
  epochs: EpochMetrics[];
  samples: SampleRef[];
  scores: ScoresRecord[];
  /** Records of each kind the run holds (the array's length when nothing was left out). */
  epochCount: number;
  sampleCount: number;
  scoreCount: number;
  /** A run trained on Slurm: its job script and the last lines of its logs (the URLs serve the whole files). */
  jobFiles?: JobFiles;
}

/** A Slurm run's job script and logs, as the run page shows them. */
export interface JobFiles {
  scriptUrl: string;
  stdoutUrl: string;
  stderrUrl: string;
  stdoutTail: string[];
  stderrTail: string[];
}

/** Where runs can train: this machine always; Slurm when sbatch is reachable here. */
export interface ExecutorsInfo {
  slurm: {
    available: boolean;
    /** sbatch's version when available. */
    version?: string;
    /** Why not, and what to do (when not available). */
    problem?: string;
    hint?: string;
    /** The settings the last Slurm submission from this runs folder used (the forms start from them). */
    settings: SlurmSettings;
    /** Folders the compute nodes may not see (the runs folder under /tmp…). */
    warnings: string[];
  };
}

/** A created sweep: its runs, in plan order (the first combination's seeds first). */
export interface SweepResult {
  sweepId: string;
  runs: RunSummary[];
  /** E.g. a runs folder the compute nodes may not see. */
  warnings: string[];
}

/** One saved sample grid. */
export interface SampleRef {
  epoch: number;
  step: number;
  url: string;
}

/** The epoch records, grids and scores of an epoch range: every one or a bounded downsample; the counts are how many the range holds. */
export interface RunHistory {
  epochs: EpochMetrics[];
  samples: SampleRef[];
  scores: ScoresRecord[];
  epochCount: number;
  sampleCount: number;
  scoreCount: number;
}

/** Steps of a range: every record or a bounded downsample of them; `count` is how many the range holds. */
export interface StepRange {
  steps: StepMetrics[];
  count: number;
}

export interface DatasetInfo {
  manifest: DatasetManifest;
  /** URL of a preview grid PNG of the first images. */
  previewUrl: string;
}

/** Long work reports progress; `total` is absent when unknown. */
export interface Progress {
  operation: string;
  done: number;
  total?: number;
  message?: string;
  /** The export (or other cancellable job) this progress belongs to, so the UI can match and cancel it. */
  id?: string;
}

/** The progress operation of a trainer training its dataset's score classifier (once per dataset). */
export const SCORE_CLASSIFIER_OPERATION = 'training the score classifier (once per dataset)';


/** One written file of an export; `name` is relative to the export's folder, e.g. progress.gif or generator/model.json. */
export interface ExportFile {
  name: string;
  url: string;
}

/** What a finished export resolves with. */
export interface ExportResult {
  exportId: string;
  files: ExportFile[];
  /** What was damaged in the run and left out or passed over (a metrics line, a checkpoint), one sentence each. */
  notes?: string[];
}

/** A finished evidence pack: the page to open plus every file in its folder. */
export interface EvidenceResult extends ExportResult {
  /** URL of the pack's index.html. */
  url: string;
}

/** Events streamed to the UI. */
export type StudioEvent =
  | { type: 'run-updated'; run: RunSummary }
  | { type: 'run-steps'; runId: string; steps: StepMetrics[] }
  | { type: 'run-epoch'; runId: string; metrics: EpochMetrics }
  | { type: 'run-sample'; runId: string; epoch: number; step: number; url: string }
  | { type: 'run-scores'; runId: string; record: ScoresRecord }
  | { type: 'run-deleted'; runId: string }
  | { type: 'progress'; progress: Progress };

const id = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'expected an id of letters, digits, . _ -');
const path = z.string().min(1).max(4096);
const epoch = z.number().int().positive().max(1_000_000);
const animationOptions = {
  /** Chosen by the UI so it can match progress events and cancel before the call resolves; else generated. */
  exportId: id.optional(),
  fps: z.number().positive().max(60).optional(),
  scale: z.number().int().min(1).max(16).optional(),
  fromEpoch: epoch.optional(),
  toEpoch: epoch.optional(),
};

/** One run exported in any format, or 2–4 runs side by side as GIF/MP4. */
export const exportRunRequestSchema = z.union([
  z.object({ runId: id, format: z.enum(EXPORT_FORMATS), epoch: epoch.optional(), ...animationOptions }).strict(),
  z
    .object({
      runIds: z
        .array(id)
        .min(2)
        .max(4)
        .refine((ids) => new Set(ids).size === ids.length, { message: 'expected 2–4 different runs' }),
      format: z.enum(COMPARE_EXPORT_FORMATS),
      ...animationOptions,
    })
    .strict(),
]);
export type ExportRunRequest = z.input<typeof exportRunRequestSchema>;

/** The evidence pack of a run, optionally measured against a baseline run. */
export const evidenceRequestSchema = z
  .object({ runId: id, baselineRunId: id.optional(), exportId: id.optional() })
  .strict()
  .refine((r) => r.baselineRunId !== r.runId, { message: 'expected a baseline other than the run itself' });
export type EvidenceRequest = z.input<typeof evidenceRequestSchema>;

/** Generate from one run's saved generator (default: the newest checkpoint, trained weights). */
export const generateRequestSchema = z
  .object({
    runId: id,
    generator: generatorChoiceSchema.optional(),
    spec: generateSpecSchema,
    /** Chosen by the UI so it can cancel the job before the call resolves. */
    jobId: id.optional(),
  })
  .strict();
export type GenerateRequest = z.input<typeof generateRequestSchema>;

/** A file inside a run folder, relative (exports/progress.gif); resolved inside the run before use. */
const runRelPath = z.string().min(1).max(1024).regex(/^[^\\\0]+$/, 'expected a relative path inside the run folder');

/** Argument schemas, one tuple per call; the receiving side validates with these. */
export const studioCallSchemas = {
  getAppInfo: z.tuple([]),
  diagnoseBackends: z.tuple([]),
  listPresets: z.tuple([]),
  summarizeModels: z.tuple([trainingConfigInputSchema]),
  listDatasets: z.tuple([]),
  importDataset: z.tuple([path, importOptionsSchema.optional()]),
  importBuiltinDataset: z.tuple([]),
  deleteDataset: z.tuple([id]),
  listRuns: z.tuple([]),
  getRun: z.tuple([id]),
  getRunSteps: z.tuple([id, z.number().int().min(0), z.number().int().min(0)]),
  getRunHistory: z.tuple([id, z.number().int().min(0), z.number().int().min(0)]),
  createRun: z.tuple([
    z
      .object({
        name: z.string().min(1).max(200).optional(),
        datasetId: id,
        config: trainingConfigInputSchema,
        /** The run this one varies: an unnamed run is named after what differs from it. */
        parentRunId: id.optional(),
        /** Where it trains (default: this machine's queue). */
        executor: executorChoiceSchema.optional(),
      })
      .strict(),
  ]),
  createSweep: z.tuple([sweepRequestSchema]),
  getExecutors: z.tuple([]),
  pauseRun: z.tuple([id]),
  resumeRun: z.tuple([id, z.object({ backend: z.enum(BACKEND_NAMES) }).strict().optional()]),
  stopRun: z.tuple([id]),
  renameRun: z.tuple([id, z.string().min(1).max(200)]),
  deleteRun: z.tuple([id]),
  repeatRun: z.tuple([id, z.number().int().min(1).max(10)]),
  revealRun: z.tuple([id, runRelPath.optional()]),
  exportRun: z.tuple([exportRunRequestSchema]),
  writeEvidence: z.tuple([evidenceRequestSchema]),
  cancelExport: z.tuple([id]),
  listCheckpoints: z.tuple([id]),
  generate: z.tuple([generateRequestSchema]),
  cancelGenerate: z.tuple([id]),
} as const;

export type StudioCallName = keyof typeof studioCallSchemas;

export interface StudioApi {
  getAppInfo(): Promise<AppInfo>;
  /**
   * "Why is my GPU not used?": the doctor's report (each backend forced, the WebGPU adapters, the
   * CUDA libraries, auto's pick), diagnosed afresh in a short-lived process on every call.
   */
  diagnoseBackends(): Promise<DoctorReport>;
  listPresets(): Promise<PresetInfo[]>;
  /** The model summaries of a config as it would train (its preset with the overrides applied). */
  summarizeModels(config: z.input<typeof trainingConfigInputSchema>): Promise<ModelSummaries>;
  listDatasets(): Promise<DatasetInfo[]>;
  /** Import a file or folder on the machine that trains (a dropped path, or a typed server path). */
  importDataset(source: string, options?: z.input<typeof importOptionsSchema>): Promise<DatasetInfo>;
  importBuiltinDataset(): Promise<DatasetInfo>;
  deleteDataset(datasetId: string): Promise<void>;
  /** Every run, newest first; a run whose run.json is unusable is listed as damaged (deleteRun removes it). */
  listRuns(): Promise<RunListItem[]>;
  getRun(runId: string): Promise<RunDetail>;
  /** Steps fromStep..toStep of a run (a chart zoom): every one when they fit, else the same bounded downsample as getRun. */
  getRunSteps(runId: string, fromStep: number, toStep: number): Promise<StepRange>;
  /** Epochs fromEpoch..toEpoch of a run (a zoom, a scrub, Compare's slider): their records, grids and scores, every one when they fit, else bounded as in getRun. */
  getRunHistory(runId: string, fromEpoch: number, toEpoch: number): Promise<RunHistory>;
  /** Create a run and start training it; without a name it is named "preset · dataset · what differs" (from `parentRunId`'s config, else the preset's). */
  createRun(request: { name?: string; datasetId: string; config: z.input<typeof trainingConfigInputSchema>; parentRunId?: string; executor?: ExecutorChoice }): Promise<RunSummary>;
  /**
   * A sweep: one run per combination of the varied settings and per seed, named by what differs.
   * On Slurm they are submitted as one job array (throttled); here they train through the queue.
   */
  createSweep(request: SweepRequest): Promise<SweepResult>;
  /** Where runs can train (Slurm's availability and last settings). */
  getExecutors(): Promise<ExecutorsInfo>;
  /** Pause after the current step (a run on Slurm cannot pause: Stop checkpoints it, Resume submits it again). */
  pauseRun(runId: string): Promise<void>;
  /**
   * Resume a paused run, or restart a stopped/crashed/failed run from its last checkpoint —
   * with `backend`, on that backend from now on (e.g. wasm after the GPU failed; kept in its config).
   */
  resumeRun(runId: string, options?: { backend: BackendName }): Promise<void>;
  /** Stop with a checkpoint saved; a run on Slurm gets the checkpoint signal, then its job is cancelled. */
  stopRun(runId: string): Promise<void>;
  renameRun(runId: string, name: string): Promise<RunSummary>;
  deleteRun(runId: string): Promise<void>;
  /**
   * "Repeat with seeds": create `count` (1–10) more runs of this run's config with seeds no run of
   * that config has used, same everything else, and train them where it trained: one after another
   * here, or as one job array on Slurm. Resolves with the new runs.
   */
  repeatRun(runId: string, count: number): Promise<RunSummary[]>;
  /**
   * Show the run folder — or, given `file` (relative, e.g. exports/progress.gif), that file in its folder —
   * in the OS file manager (Electron only; a no-op that returns the path in a browser).
   */
  revealRun(runId: string, file?: string): Promise<string>;
  /**
   * Export a run (or a comparison) into runs/<id>/exports/; progress events carry the export id.
   * Rejects with ExportCancelledError after cancelExport, leaving no partial file.
   */
  exportRun(request: ExportRunRequest): Promise<ExportResult>;
  /** Write the evidence pack into runs/<id>/exports/evidence[-vs-<baseline>]/. */
  writeEvidence(request: EvidenceRequest): Promise<EvidenceResult>;
  /** Cancel a running export or evidence pack; false when no such export is running. */
  cancelExport(exportId: string): Promise<boolean>;
  /** The run's saved generators (checkpoints), oldest first, for the Generate view's picker. */
  listCheckpoints(runId: string): Promise<GeneratorCheckpoint[]>;
  /**
   * Draw from a saved generator — a grid, N single PNGs or a slerp interpolation (strip, GIF, MP4) —
   * into runs/<id>/generated/; runs in its own process, one job at a time.
   */
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** Cancel generate job `jobId` (its request's jobId): it rejects with ExportCancelledError; false when it is not running. */
  cancelGenerate(jobId: string): Promise<boolean>;
  /** Subscribe to studio events; call the returned function to unsubscribe. */
  onEvent(listener: (event: StudioEvent) => void): () => void;
}

/** What a failed call rejects with, across any transport. */
export interface StudioErrorPayload {
  name: string;
  message: string;
  /** What the user can do about it, when known. */
  hint?: string;
}

export type { DamagedRun, PresetName, TrainingConfig };
