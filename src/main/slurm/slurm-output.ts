/**
 * Parsing what squeue and sacct print, and naming the state a job is in.
 * Pure: the Slurm tests feed it real output; the bench feeds it a fake squeue's.
 */
import type { SlurmJobState } from '../../shared/slurm';

/** squeue --Format fields, each ended by "|" (no padding). Name comes last: nothing after it can be shifted. */
export const SQUEUE_FORMAT = 'JobArrayID:|,State:|,Reason:|,NodeList:|,RestartCnt:|,exit_code:|,Name:|';

export interface SqueueRow {
  /** "1234", or "1230_4" for an array task. */
  jobId: string;
  /** Slurm's state name (PENDING, RUNNING, COMPLETED, …). */
  state: string;
  reason: string;
  node: string;
  restarts: number;
  /** The exit code once ended (squeue prints the wait status: code × 256 + signal). */
  exitCode?: number;
  name: string;
}

export function parseSqueue(output: string): SqueueRow[] {
  const rows: SqueueRow[] = [];
  for (const line of output.split('\n')) {
    const fields = line.split('|');
    if (fields.length < 7) continue;
    const [jobId, state, reason, node, restarts, status, ...name] = fields;
    const wait = Number(status);
    rows.push({
      jobId: jobId!.trim(),
      state: state!.trim(),
      reason: reason!.trim(),
      node: node!.trim(),
      restarts: Number(restarts) || 0,
      ...(status!.trim() !== '' && Number.isFinite(wait) ? { exitCode: wait >> 8 } : {}),
      name: name.join('|').replace(/\|$/, '').trim(),
    });
  }
  return rows;
}

export interface SacctRow {
  jobId: string;
  state: string;
  exitCode?: number;
  node: string;
}

/** sacct --parsable2 --format=JobID,State,ExitCode,NodeList ("CANCELLED by 0" → CANCELLED, "1:0" → 1). */
export function parseSacct(output: string): SacctRow[] {
  return output
    .split('\n')
    .filter((line) => line.includes('|'))
    .map((line) => {
      const [jobId = '', state = '', exit = '', node = ''] = line.split('|');
      const code = /^(\d+):/.exec(exit);
      return { jobId, state: state.split(' ')[0] ?? '', ...(code ? { exitCode: Number(code[1]) } : {}), node };
    });
}

/** Slurm's state names the studio shows as they are. */
const AS_IS = new Set<SlurmJobState>(['PENDING', 'RUNNING', 'COMPLETING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'SUSPENDED']);
/** Slurm's other names, as the nearest state the studio shows. */
const NEAREST: Record<string, SlurmJobState> = {
  CONFIGURING: 'RUNNING',
  RESIZING: 'RUNNING',
  SIGNALING: 'RUNNING',
  STAGE_OUT: 'COMPLETING',
  STOPPED: 'SUSPENDED',
  REQUEUED: 'REQUEUED',
  REQUEUE_HOLD: 'REQUEUED',
  REQUEUE_FED: 'REQUEUED',
  BOOT_FAIL: 'NODE_FAIL',
  DEADLINE: 'TIMEOUT',
  SPECIAL_EXIT: 'FAILED',
  REVOKED: 'CANCELLED',
};

/** The state to show for Slurm's `state` (a pending job that has restarted shows as REQUEUED). */
export function jobState(state: string, restarts: number): SlurmJobState {
  const name = state.toUpperCase();
  if (name === 'PENDING' && restarts > 0) return 'REQUEUED';
  if (AS_IS.has(name as SlurmJobState)) return name as SlurmJobState;
  return NEAREST[name] ?? 'UNKNOWN';
}

/** States in which the job may still run (it is queued, running, or about to run again). */
export function isLive(state: SlurmJobState): boolean {
  return ['SUBMITTING', 'PENDING', 'REQUEUED', 'RUNNING', 'COMPLETING', 'SUSPENDED'].includes(state);
}
