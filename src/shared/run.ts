/** run.json: what a run is, as stored in its directory. */
import type { BackendReport } from './backends';
import type { TrainingConfig } from './config';

/** `queued`: waiting for a free training slot (runs beyond the concurrency limit start in order as others end). */
export type RunStatus = 'created' | 'queued' | 'running' | 'paused' | 'completed' | 'stopped' | 'failed' | 'crashed';

export interface RunRecord {
  version: 1;
  id: string;
  name: string;
  config: TrainingConfig;
  dataset: { id: string; name: string; fingerprint: string; dir: string };
  status: RunStatus;
  /** Set when status is failed/crashed. */
  failure?: { kind: string; message: string };
  backend?: BackendReport;
  /** Set while status is queued: when it joined the queue (the queue's order) and whether it resumes from a checkpoint. */
  queued?: { at: string; resume: boolean };
  /** Last complete epoch/step (from the last epoch record). */
  epoch: number;
  step: number;
  createdAt: string;
  updatedAt: string;
}
