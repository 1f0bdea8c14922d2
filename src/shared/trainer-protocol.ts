/**
 * Messages between a parent (RunManager, CLI) and a trainer process. Two
 * verbs only: the parent sends commands, the trainer emits events. Unions
 * are keyed on `type`.
 */
import type { BackendName, BackendReport } from './backends';
import type { TrainingConfig } from './config';
import type { EpochMetrics, StepMetrics } from './metrics';
import type { ScoresRecord } from './scores';

/** An error that crossed a process boundary. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export type TrainerCommand =
  | {
      type: 'start';
      /** Run directory; run.json there holds the config unless `config` is given (new run). */
      runDir: string;
      /** Cached dataset folder (manifest.json + images.u8). */
      datasetDir: string;
      config?: TrainingConfig;
      /** Continue from the last complete checkpoint in runDir. */
      resume: boolean;
      /**
       * With `resume`: the run's new length in epochs (extend a finished run). Written to
       * run.json only once the resume is accepted, so a refused one leaves the run as it was.
       */
      epochs?: number;
      backend?: BackendName;
    }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' };

/**
 * Why a run failed. `gpu-device-lost`: the GPU went away mid-run (driver reset, removed,
 * destroyed); an out-of-memory error the GPU reports is `out-of-memory` with a GPU message.
 */
export const FAILURE_KINDS = ['nan', 'out-of-memory', 'disk-full', 'gpu-device-lost', 'bad-input', 'error'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export type TrainerEvent =
  | {
      type: 'started';
      backend: BackendReport;
      totalEpochs: number;
      stepsPerEpoch: number;
      /** Epoch/step already complete when this process started (0 for a new run). */
      startEpoch: number;
      startStep: number;
      /** What the user should know about how this session started (a damaged checkpoint skipped, metrics cut at a damaged line). */
      notes?: string[];
    }
  /** Coalesced: at most ~10 batches per second cross the boundary. */
  | { type: 'steps'; steps: StepMetrics[] }
  | { type: 'epoch'; metrics: EpochMetrics }
  /** `file` is relative to the run directory, e.g. samples/epoch-0003.png. */
  | { type: 'sample'; epoch: number; step: number; file: string }
  | { type: 'checkpoint'; epoch: number; step: number; dir: string }
  /** Quality scores of an epoch, as appended to scores.jsonl. */
  | { type: 'scores'; record: ScoresRecord }
  /** The dataset's score classifier is being trained (once per dataset): batches done of total. */
  | { type: 'classifier-progress'; done: number; total: number }
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'finished'; reason: 'completed' | 'stopped'; epoch: number; step: number }
  /**
   * `refused`: the trainer refused the start before touching the run — it wrote nothing, no status
   * and no failure (e.g. a resume whose checkpoints are all damaged, or whose dataset no longer
   * matches) — so a supervisor keeps the run's status as it was.
   */
  | { type: 'failed'; kind: FailureKind; error: SerializedError; refused?: boolean };
