/**
 * StudioApi: the one contract between the UI and the studio. Electron IPC
 * (src/main/ipc.ts + src/preload) and the `serve` WebSocket are two thin
 * transports over it. Calls are request → promise; events are a stream the
 * UI subscribes to and disposes. Every call's arguments are validated with
 * `studioCallSchemas` on the receiving side.
 */
import { z } from 'zod';
import type { BackendReport } from './backends';
import { trainingConfigInputSchema, type TrainingConfig } from './config';
import { importOptionsSchema, type DatasetManifest } from './dataset';
import type { EpochMetrics, StepMetrics } from './metrics';
import type { ModelPreset, PresetName } from './presets';
import type { RunRecord } from './run';
import type { ModelSummary } from './summary';

export interface AppInfo {
  version: string;
  /** Where runs are kept (absolute path on the machine that trains). */
  runsRoot: string;
  /** 'electron' or 'browser' — the UI adapts a few affordances (drop paths, reveal folder). */
  shell: 'electron' | 'browser';
  /** The backend a new run would train on, and why faster ones were skipped. */
  backend: BackendReport;
}

export interface PresetInfo {
  preset: ModelPreset;
  generator: ModelSummary;
  discriminator: ModelSummary;
}

/** A run plus what the list and live views need without reading files. */
export interface RunSummary extends RunRecord {
  /** URL of the newest sample grid, or null before the first one. */
  latestSampleUrl: string | null;
}

export interface RunDetail {
  run: RunSummary;
  steps: StepMetrics[];
  epochs: EpochMetrics[];
  /** Every saved grid, oldest first. */
  samples: { epoch: number; step: number; url: string }[];
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
}

/** Events streamed to the UI. */
export type StudioEvent =
  | { type: 'run-updated'; run: RunSummary }
  | { type: 'run-steps'; runId: string; steps: StepMetrics[] }
  | { type: 'run-epoch'; runId: string; metrics: EpochMetrics }
  | { type: 'run-sample'; runId: string; epoch: number; step: number; url: string }
  | { type: 'run-deleted'; runId: string }
  | { type: 'progress'; progress: Progress };

const id = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'expected an id of letters, digits, . _ -');
const path = z.string().min(1).max(4096);

/** Argument schemas, one tuple per call; the receiving side validates with these. */
export const studioCallSchemas = {
  getAppInfo: z.tuple([]),
  listPresets: z.tuple([]),
  listDatasets: z.tuple([]),
  importDataset: z.tuple([path, importOptionsSchema.optional()]),
  importBuiltinDataset: z.tuple([]),
  deleteDataset: z.tuple([id]),
  listRuns: z.tuple([]),
  getRun: z.tuple([id]),
  createRun: z.tuple([
    z.object({ name: z.string().min(1).max(200).optional(), datasetId: id, config: trainingConfigInputSchema }).strict(),
  ]),
  pauseRun: z.tuple([id]),
  resumeRun: z.tuple([id]),
  stopRun: z.tuple([id]),
  renameRun: z.tuple([id, z.string().min(1).max(200)]),
  deleteRun: z.tuple([id]),
  revealRun: z.tuple([id]),
} as const;

export type StudioCallName = keyof typeof studioCallSchemas;

export interface StudioApi {
  getAppInfo(): Promise<AppInfo>;
  listPresets(): Promise<PresetInfo[]>;
  listDatasets(): Promise<DatasetInfo[]>;
  /** Import a file or folder on the machine that trains (a dropped path, or a typed server path). */
  importDataset(source: string, options?: z.input<typeof importOptionsSchema>): Promise<DatasetInfo>;
  importBuiltinDataset(): Promise<DatasetInfo>;
  deleteDataset(datasetId: string): Promise<void>;
  listRuns(): Promise<RunSummary[]>;
  getRun(runId: string): Promise<RunDetail>;
  /** Create a run and start training it. */
  createRun(request: { name?: string; datasetId: string; config: z.input<typeof trainingConfigInputSchema> }): Promise<RunSummary>;
  pauseRun(runId: string): Promise<void>;
  /** Resume a paused run, or restart a stopped/crashed/failed run from its last checkpoint. */
  resumeRun(runId: string): Promise<void>;
  stopRun(runId: string): Promise<void>;
  renameRun(runId: string, name: string): Promise<RunSummary>;
  deleteRun(runId: string): Promise<void>;
  /** Show the run folder in the OS file manager (Electron only; a no-op that returns the path in a browser). */
  revealRun(runId: string): Promise<string>;
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

export type { PresetName, TrainingConfig };
