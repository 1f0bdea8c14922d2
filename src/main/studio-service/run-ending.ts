/**
 * What run.json says once a run's trainer is gone: its own last word
 * (finished or failed), 'crashed' when it died without one, and nothing at
 * all for a resume it refused before touching the run (the run stays as it was).
 */
import type { RunStatus } from '../../shared/run';
import type { TrainerEvent } from '../../shared/trainer-protocol';
import type { BackendReport } from '../../shared/backends';
import { readRunRecord, updateRunRecord } from './run-files';

export type TrainerEnding = Extract<TrainerEvent, { type: 'finished' | 'failed' }>;

/** The part of a supervised run its ending is judged on. */
export interface EndingRun {
  /** Continues from a checkpoint: a refusal then leaves the run as it was. */
  resume: boolean;
  ending?: TrainerEnding;
  state: { epoch: number; step: number; backend?: BackendReport };
}

export interface EndState {
  status?: RunStatus;
  epoch?: number;
  step?: number;
  failure?: { kind: string; message: string };
}

/** A resume its trainer refused before touching the run (see the `failed` event's `refused`). */
export function isRefusedResume<T extends EndingRun>(run: T): run is T & { ending: Extract<TrainerEvent, { type: 'failed' }> } {
  return run.resume && run.ending?.type === 'failed' && run.ending.refused === true;
}

export function endState(event: TrainerEnding): EndState {
  if (event.type === 'finished') {
    return { status: event.reason === 'completed' ? 'completed' : 'stopped', epoch: event.epoch, step: event.step };
  }
  return { status: 'failed', failure: { kind: event.kind, message: event.error.message } };
}

/** The trainer's last word in run.json, or 'crashed' when it died without one. */
export async function recordRunEnding(runsRoot: string, runId: string, run: EndingRun, exit: { code: number | null; signal: string | null }): Promise<void> {
  const final: EndState = run.ending
    ? endState(run.ending)
    : {
        status: 'crashed',
        failure: {
          kind: 'crashed',
          message: `The trainer process exited unexpectedly (${exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`}). Resume continues from the last checkpoint.`,
        },
      };
  const record = await readRunRecord(runsRoot, runId);
  await updateRunRecord(runsRoot, runId, {
    status: final.status ?? record.status,
    ...(final.failure ? { failure: final.failure } : {}),
    ...(run.state.backend ? { backend: run.state.backend } : {}),
    epoch: Math.max(record.epoch, run.state.epoch),
    step: Math.max(record.step, run.state.step),
  });
}
