/**
 * How an ended job is named and what run.json then says — from squeue's end
 * state, the job script's exit records and Slurm's lines in the log (output
 * as Slurm 22.05 writes it).
 */
import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import type { RunRecord } from '../../shared/run';
import { decideJobEnd, settledStatus, slurmKillLine, type ExitRecord } from './job-end';
import { jobState, parseSacct, parseSqueue } from './slurm-output';

const exit = (patch: Partial<ExitRecord>): ExitRecord => ({ job: '7_1', slurmJobId: '9', restart: 0, node: 'n1', exitCode: 0, signal: '', requeued: false, at: '2026-01-01T00:00:00Z', ...patch });

describe('squeue and sacct output', () => {
  it('parses one row per array task, with the exit status as its code', () => {
    const rows = parseSqueue('1_0|RUNNING|None|vm|0||gan-studio-x|\n1_1|PENDING|JobArrayTaskLimit||0||gan-studio-x|\n5|FAILED|NonZeroExitCode|vm|2|768|gs|x|\n');
    expect(rows).toEqual([
      { jobId: '1_0', state: 'RUNNING', reason: 'None', node: 'vm', restarts: 0, name: 'gan-studio-x' },
      { jobId: '1_1', state: 'PENDING', reason: 'JobArrayTaskLimit', node: '', restarts: 0, name: 'gan-studio-x' },
      { jobId: '5', state: 'FAILED', reason: 'NonZeroExitCode', node: 'vm', restarts: 2, exitCode: 3, name: 'gs|x' },
    ]);
    expect(parseSacct('12|CANCELLED by 0|0:15|n3\n13|OUT_OF_MEMORY|0:125|n4\n')).toEqual([
      { jobId: '12', state: 'CANCELLED', exitCode: 0, node: 'n3' },
      { jobId: '13', state: 'OUT_OF_MEMORY', exitCode: 0, node: 'n4' },
    ]);
  });

  it('names states as the studio shows them: a restarted pending job is requeued', () => {
    expect(jobState('PENDING', 0)).toBe('PENDING');
    expect(jobState('PENDING', 1)).toBe('REQUEUED');
    expect(jobState('CONFIGURING', 0)).toBe('RUNNING');
    expect(jobState('BOOT_FAIL', 0)).toBe('NODE_FAIL');
    expect(jobState('OUT_OF_MEMORY', 0)).toBe('OUT_OF_MEMORY');
    expect(jobState('SOMETHING_NEW', 0)).toBe('UNKNOWN');
  });
});

describe('Slurm lines in the log', () => {
  it('tells time limit, preemption, node failure, out of memory and cancel apart; a requeue is not an end', () => {
    expect(slurmKillLine(['slurmstepd-n1: error: *** JOB 9 ON n1 CANCELLED AT 2026-12-07T17:13:20 DUE TO TIME LIMIT ***'])).toBe('TIMEOUT');
    expect(slurmKillLine(['slurmstepd: error: *** JOB 9 ON n1 CANCELLED AT 2026-12-07T17:13:20 DUE TO PREEMPTION ***'])).toBe('PREEMPTED');
    expect(slurmKillLine(['slurmstepd: error: *** JOB 9 ON n1 CANCELLED AT 2026-12-07T17:13:20 DUE TO NODE FAILURE ***'])).toBe('NODE_FAIL');
    expect(slurmKillLine(['slurmstepd: error: Detected 1 oom_kill event in StepId=9.batch.'])).toBe('OUT_OF_MEMORY');
    expect(slurmKillLine(['slurmstepd-vm: error: *** JOB 3 ON vm CANCELLED AT 2026-12-07T17:13:25 ***'])).toBe('CANCELLED');
    expect(slurmKillLine(['slurmstepd-vm: error: *** JOB 2 ON vm CANCELLED AT 2026-12-07T17:13:20 DUE TO JOB REQUEUE ***'])).toBeUndefined();
    expect(slurmKillLine(['epoch 3: gen_loss 0.6'])).toBeUndefined();
  });
});

describe('decideJobEnd', () => {
  const base = { exits: [] as ExitRecord[], stderrTail: [] as string[], runStatus: 'completed' as const, stopRequested: false };

  it("takes Slurm's end state, but calls a checkpointed stop what it was: time limit, cancel or Stop", () => {
    expect(decideJobEnd({ ...base, slurm: { state: 'COMPLETED', exitCode: 0, node: 'n1' } })).toEqual({ state: 'COMPLETED', exitCode: 0, node: 'n1' });
    const stopped = { ...base, runStatus: 'stopped' as const, slurm: { state: 'COMPLETED', exitCode: 0 } };
    expect(decideJobEnd({ ...stopped, exits: [exit({ exitCode: 130, signal: 'USR1' })] }).state).toBe('TIMEOUT');
    expect(decideJobEnd({ ...stopped, exits: [exit({ exitCode: 130, signal: 'TERM' })] }).state).toBe('CANCELLED');
    expect(decideJobEnd({ ...stopped, stopRequested: true }).state).toBe('CANCELLED');
    expect(decideJobEnd({ ...base, runStatus: 'failed', slurm: { state: 'FAILED', exitCode: 2 } })).toEqual({ state: 'FAILED', exitCode: 2 });
    expect(decideJobEnd({ ...base, runStatus: 'running', slurm: { state: 'OUT_OF_MEMORY' } }).state).toBe('OUT_OF_MEMORY');
  });

  it('without Slurm (no accounting, the job long gone): the exit record, then the log', () => {
    const gone = { ...base, runStatus: 'running' as const };
    expect(decideJobEnd({ ...gone, exits: [exit({ exitCode: 2 })] })).toEqual({ state: 'FAILED', exitCode: 2, node: 'n1' });
    expect(decideJobEnd({ ...base, exits: [exit({ exitCode: 0 })] }).state).toBe('COMPLETED');
    expect(decideJobEnd({ ...gone, stderrTail: ['*** JOB 9 ON n2 CANCELLED AT 2026-01-01T00:00:00 DUE TO TIME LIMIT ***'] }).state).toBe('TIMEOUT');
    expect(decideJobEnd({ ...gone, exits: [exit({ exitCode: 130, signal: 'TERM' })], stderrTail: ['*** JOB 9 ON n2 CANCELLED AT 2026-01-01T00:00:00 DUE TO PREEMPTION ***'] }).state).toBe('PREEMPTED');
    expect(decideJobEnd(gone)).toEqual({ state: 'UNKNOWN' });
  });
});

describe('settledStatus', () => {
  const record = (status: RunRecord['status']): RunRecord => ({
    version: 1,
    id: 'r',
    name: 'r',
    config: resolveTrainingConfig({ preset: 'tiny', seed: 1 }),
    dataset: { id: 'd', name: 'd', fingerprint: 'f', dir: '/d' },
    status,
    epoch: 0,
    step: 0,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    slurm: { settings: { memory: '4G' }, submission: 's', jobId: '7_1', submittedAt: '2026-01-01T00:00:00Z' },
  });

  it("keeps the trainer's own last word; a run left running or queued gets the job's", () => {
    expect(settledStatus(record('completed'), { state: 'COMPLETED' }, [])).toBeUndefined();
    expect(settledStatus(record('stopped'), { state: 'CANCELLED' }, [])).toBeUndefined();
    expect(settledStatus(record('failed'), { state: 'FAILED', exitCode: 2 }, [])).toBeUndefined();
    expect(settledStatus(record('queued'), { state: 'CANCELLED' }, [])).toEqual({ status: 'stopped', failure: undefined });
    expect(settledStatus(record('running'), { state: 'OUT_OF_MEMORY', node: 'n4' }, [])).toEqual({
      status: 'failed',
      failure: { kind: 'out-of-memory', message: 'Slurm job 7_1 ran out of memory on n4 (it asked for --mem=4G). Ask for more memory, or use a smaller batch size.' },
    });
    expect(settledStatus(record('running'), { state: 'FAILED', exitCode: 127 }, ['bash: node: command not found'])?.failure?.message).toBe(
      'Slurm job 7_1 failed with exit code 127 before the trainer reported.\nLast lines of its log:\nbash: node: command not found',
    );
    expect(settledStatus(record('running'), { state: 'NODE_FAIL' }, [])?.status).toBe('crashed');
  });
});
