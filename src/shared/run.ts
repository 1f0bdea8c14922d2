/** run.json: what a run is, as stored in its directory. */
import type { BackendReport } from './backends';
import type { TrainingConfig } from './config';

export type RunStatus = 'created' | 'running' | 'paused' | 'completed' | 'stopped' | 'failed' | 'crashed';

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
  /** Last complete epoch/step (from the last epoch record). */
  epoch: number;
  step: number;
  createdAt: string;
  updatedAt: string;
}
