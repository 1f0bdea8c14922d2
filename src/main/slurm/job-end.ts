/**
 * How a run's job ended, once it left Slurm's queue — and what run.json must
 * say about it. Slurm keeps no history without accounting, so the answer comes
 * from what the studio can see: squeue's own end state while it still lists
 * the job, else sacct when it answers, else what the job left in the run
 * folder (the job script's exit record, Slurm's "*** JOB … CANCELLED … DUE TO
 * TIME LIMIT ***" lines in the log).
 */
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunRecord } from '../../shared/run';
import type { SlurmEndState } from '../../shared/slurm';
import { SLURM_FILES, STOPPED_EXIT_CODE } from './job-script';
import { jobState } from './slurm-output';

/** One line of slurm/exits.jsonl: one attempt of the job, as its script saw it end. */
export interface ExitRecord {
  job: string;
  slurmJobId: string;
  restart: number;
  node: string;
  exitCode: number;
  /** USR1: the time-limit signal; TERM: Slurm's (requeue, preemption, scancel); empty: none. */
  signal: string;
  requeued: boolean;
  at: string;
}

/** What the studio learned from Slurm about an ended job (squeue's row while it lingers, or sacct's). */
export interface SlurmEnd {
  state: string;
  exitCode?: number;
  node?: string;
}

export interface JobEnd {
  state: SlurmEndState;
  exitCode?: number;
  node?: string;
}

/** The exit records of `job` (a run's log holds every job it ever had); a torn last line is skipped. */
export async function readExitRecords(runDir: string, job: string): Promise<ExitRecord[]> {
  let text: string;
  try {
    text = await readFile(join(runDir, SLURM_FILES.folder, SLURM_FILES.exits), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    try {
      const record = JSON.parse(line) as ExitRecord;
      return record.job === job ? [record] : [];
    } catch {
      return [];
    }
  });
}

/** The last `count` lines of a log in the run's slurm/ folder (reads at most its last 64 KiB). */
export async function logTail(runDir: string, file: 'stdout.log' | 'stderr.log', count = 20): Promise<string[]> {
  let handle;
  try {
    handle = await open(join(runDir, SLURM_FILES.folder, file), 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    if (length < size) lines.shift(); // cut mid-line
    return lines.filter((line) => line.trim() !== '').slice(-count);
  } finally {
    await handle.close();
  }
}

/** Slurm's own line when it ended a job ("*** JOB 7 ON n1 CANCELLED AT … DUE TO TIME LIMIT ***"), mapped to a state. */
export function slurmKillLine(lines: string[]): SlurmEndState | undefined {
  for (const line of [...lines].reverse()) {
    if (/oom[-_ ]kill|out of memory/i.test(line)) return 'OUT_OF_MEMORY';
    const match = /\*\*\* JOB \d+ ON \S+ CANCELLED AT \S+(?: DUE TO ([A-Z ]+?))? \*\*\*/.exec(line);
    if (!match) continue;
    const cause = match[1] ?? '';
    if (cause === 'JOB REQUEUE') continue; // it ran again: not how it ended
    if (cause.startsWith('TIME LIMIT')) return 'TIMEOUT';
    if (cause.startsWith('PREEMPTION')) return 'PREEMPTED';
    if (cause.startsWith('NODE FAIL')) return 'NODE_FAIL';
    return 'CANCELLED';
  }
  return undefined;
}

/**
 * The end state of a job: Slurm's word when it has one, refined by the exit record (the script
 * exits 0 after a checkpointed stop, which Slurm calls COMPLETED); else the exit record and the
 * log's last lines.
 */
export function decideJobEnd(input: { slurm?: SlurmEnd; exits: ExitRecord[]; stderrTail: string[]; runStatus: RunRecord['status']; stopRequested: boolean }): JobEnd {
  const last = input.exits.at(-1);
  const node = input.slurm?.node || last?.node || undefined;
  const withNode = (end: JobEnd): JobEnd => (node ? { ...end, node } : end);
  const stopped = (): SlurmEndState => (input.stopRequested || last?.signal === 'TERM' ? 'CANCELLED' : last?.signal === 'USR1' ? 'TIMEOUT' : 'COMPLETED');

  if (input.slurm) {
    const state = jobState(input.slurm.state, 0);
    const exitCode = input.slurm.exitCode ?? last?.exitCode;
    if (state === 'COMPLETED') {
      return withNode({ state: input.runStatus === 'completed' ? 'COMPLETED' : stopped(), ...(exitCode !== undefined ? { exitCode } : {}) });
    }
    const ended = (['FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED'] as const).find((name) => name === state);
    if (ended) return withNode({ state: input.stopRequested && ended === 'CANCELLED' ? 'CANCELLED' : ended, ...(exitCode !== undefined ? { exitCode } : {}) });
  }
  const killed = slurmKillLine(input.stderrTail);
  if (last && !killed) {
    if (last.exitCode === 0 && input.runStatus === 'completed') return withNode({ state: 'COMPLETED', exitCode: 0 });
    if (last.exitCode === STOPPED_EXIT_CODE || last.exitCode === 0) return withNode({ state: stopped(), exitCode: 0 });
    return withNode({ state: 'FAILED', exitCode: last.exitCode });
  }
  if (killed) return withNode({ state: input.stopRequested && killed === 'CANCELLED' ? 'CANCELLED' : killed });
  return withNode({ state: input.stopRequested ? 'CANCELLED' : 'UNKNOWN' });
}

/**
 * What run.json must say once the job ended. A trainer that said its last word (completed,
 * stopped with a checkpoint, failed with a reason) wrote its status itself; one that never
 * started, or was killed, left "queued" or "running": the job's end decides.
 */
export function settledStatus(record: RunRecord, end: JobEnd, stderrTail: string[]): Pick<RunRecord, 'status' | 'failure'> | undefined {
  if (!['created', 'queued', 'running', 'paused'].includes(record.status)) return undefined;
  const job = record.slurm?.jobId ? `Slurm job ${record.slurm.jobId}` : 'The Slurm job';
  const on = end.node ? ` on ${end.node}` : '';
  const log = stderrTail.length > 0 ? `\nLast lines of its log:\n${stderrTail.slice(-8).join('\n')}` : '';
  switch (end.state) {
    case 'CANCELLED':
      return { status: 'stopped', failure: undefined };
    case 'COMPLETED':
      return { status: 'stopped', failure: undefined };
    case 'TIMEOUT':
      return crashed(`${job} reached its time limit${on} before the trainer could save a checkpoint. Resume continues from the last checkpoint; ask for more time or a longer signal lead.`);
    case 'OUT_OF_MEMORY':
      return {
        status: 'failed',
        failure: {
          kind: 'out-of-memory',
          message: `${job} ran out of memory${on}${record.slurm?.settings.memory ? ` (it asked for --mem=${record.slurm.settings.memory})` : ''}. Ask for more memory, or use a smaller batch size.`,
        },
      };
    case 'NODE_FAIL':
      return crashed(`${job} ended because its node failed${on}. Resume continues from the last checkpoint.`);
    case 'PREEMPTED':
      return crashed(`${job} was preempted${on} and not requeued. Resume continues from the last checkpoint.`);
    case 'FAILED':
      return {
        status: 'failed',
        failure: { kind: 'error', message: `${job} failed${end.exitCode !== undefined ? ` with exit code ${end.exitCode}` : ''}${on} before the trainer reported.${log}` },
      };
    case 'UNKNOWN':
      return crashed(`${job} left Slurm's queue without an exit record (killed outright?).${log}`);
  }
}

function crashed(message: string): Pick<RunRecord, 'status' | 'failure'> {
  return { status: 'crashed', failure: { kind: 'crashed', message } };
}
