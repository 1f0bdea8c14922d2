/**
 * Where a run trains — this machine's queue or a Slurm cluster — and what the
 * studio knows of a run's Slurm job. Slurm schedules; the studio submits,
 * watches, signals and cancels. The settings are validated here once: the
 * CLI's flags, the New run and Sweep forms and the job script all use them.
 */
import { z } from 'zod';

export const EXECUTOR_KINDS = ['local', 'slurm'] as const;
export type ExecutorKind = (typeof EXECUTOR_KINDS)[number];

/** The time-limit signal arrives this long before the limit, so the trainer can checkpoint (as submitit's default 90 s, with room for a big model). */
export const DEFAULT_SIGNAL_SECONDS = 120;
/** Times a job requeues itself at its time limit before it stays stopped (Resume then submits again). */
export const DEFAULT_MAX_REQUEUES = 3;

/** A value Slurm takes as one word (a partition, an account, a gres list): no spaces, quotes or shell characters. */
const slurmWord = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.,:=+/-]+$/, 'expected letters, digits and . , : = + / - _ (one Slurm value, no spaces)');

/** One extra sbatch option, written as its own #SBATCH line: starts with "-", one line, no double quotes. */
const sbatchArgument = z
  .string()
  .trim()
  .min(2)
  .max(500)
  .regex(/^-[^\n\r"]*$/, 'expected an sbatch option such as --qos=high (one line, starting with -, no double quotes)');

/** What a run's job asks Slurm for (each unset value is the cluster's default). */
export const slurmSettingsSchema = z
  .object({
    partition: slurmWord.optional(),
    account: slurmWord.optional(),
    /** Generic resources, e.g. "gpu:1" or "gpu:a100:2" (sbatch --gres). */
    gres: slurmWord.optional(),
    /** CPUs for the trainer (--cpus-per-task). */
    cpus: z.number().int().min(1).max(4096).optional(),
    /** Memory per node, e.g. "16G" (--mem). */
    memory: z
      .string()
      .trim()
      .regex(/^\d+[KMGT]?$/i, 'expected a size such as 16G or 4000M')
      .optional(),
    /** Time limit, e.g. "4:00:00", "90" (minutes) or "1-12:00:00" (--time). */
    time: z
      .string()
      .trim()
      .regex(/^(\d+-)?\d+(:\d{1,2}){0,2}$/, 'expected minutes, H:MM:SS or D-HH:MM:SS')
      .optional(),
    /** Further sbatch options, one per entry (e.g. "--qos=high", "--constraint=a100"). */
    extraArgs: z.array(sbatchArgument).max(50).optional(),
    /** Shell lines run on the node before training (e.g. "module load cuda/12"). */
    setup: z.string().max(4000).optional(),
    /** Seconds before the time limit the job is signalled to checkpoint. */
    signalSeconds: z.number().int().min(10).max(24 * 3600).optional(),
    /** Times a job requeues itself at its time limit (0: never). */
    maxRequeues: z.number().int().min(0).max(100).optional(),
  })
  .strict();
export type SlurmSettings = z.infer<typeof slurmSettingsSchema>;

/** Where a new run trains; a Slurm run carries its job's settings. */
export const executorChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }).strict(),
  z.object({ kind: z.literal('slurm'), slurm: slurmSettingsSchema }).strict(),
]);
export type ExecutorChoice = z.infer<typeof executorChoiceSchema>;

/**
 * A job's state as the studio shows it: Slurm's own names (squeue, sacct), plus SUBMITTING (the
 * intent is recorded, sbatch has not answered yet) and REQUEUED (pending again after a restart).
 */
export const SLURM_JOB_STATES = [
  'SUBMITTING',
  'PENDING',
  'REQUEUED',
  'RUNNING',
  'COMPLETING',
  'SUSPENDED',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'OUT_OF_MEMORY',
  'NODE_FAIL',
  'PREEMPTED',
  'UNKNOWN',
] as const;
export type SlurmJobState = (typeof SLURM_JOB_STATES)[number];

/** States after which the job is gone from Slurm's queue: run.json records them (`slurm.ended`). */
export const SLURM_END_STATES = ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'UNKNOWN'] as const;
export type SlurmEndState = (typeof SLURM_END_STATES)[number];

/** run.json's `slurm`: the run's current (or last) job. Written only while no job of the run can be running. */
export interface RunSlurmRecord {
  /** What the job was submitted with; Resume submits again with the same. */
  settings: SlurmSettings;
  /** The job name of the submission (unique per submission): Slurm is asked for it before submitting again. */
  submission: string;
  /** Slurm's id for this run's job: "1234" alone, "1230_4" as a task of a sweep's array; absent until sbatch answered. */
  jobId?: string;
  /** The sweep the run belongs to, if any. */
  sweepId?: string;
  submittedAt: string;
  /** How the job ended, once it left Slurm's queue. */
  ended?: { state: SlurmEndState; exitCode?: number; at: string };
}

const timestamp = z.string().refine((text) => !Number.isNaN(Date.parse(text)), { message: 'expected an ISO date' });

export const runSlurmRecordSchema = z.looseObject({
  settings: slurmSettingsSchema,
  submission: z.string().min(1).max(200),
  jobId: z
    .string()
    .regex(/^\d+(_\d+)?$/, 'expected a Slurm job id such as 1234 or 1230_4')
    .optional(),
  sweepId: z.string().max(200).optional(),
  submittedAt: timestamp,
  ended: z.looseObject({ state: z.enum(SLURM_END_STATES), exitCode: z.number().int().optional(), at: timestamp }).optional(),
});

/** What the UI shows of a run's job. */
export interface SlurmJobView {
  jobId?: string;
  state: SlurmJobState;
  /** Why it is pending (Slurm's reason: Priority, Resources, BeginTime, JobHeldUser…), or why it ended. */
  reason?: string;
  /** The node it runs (or ran) on. */
  node?: string;
  exitCode?: number;
  /** Times Slurm restarted it (requeues). */
  restarts: number;
  /** The job's partition, as submitted. */
  partition?: string;
  /** A failed query (squeue unreachable): the state shown is the last known one. */
  stale?: string;
}

/** One line for a job's state: "pending (Resources)", "running on node12", "failed, exit code 1". */
export function describeJob(job: SlurmJobView): string {
  const id = job.jobId ? `job ${job.jobId}` : 'job';
  const restarts = job.restarts > 0 ? `, restarted ${job.restarts}×` : '';
  switch (job.state) {
    case 'SUBMITTING':
      return 'submitting to Slurm';
    case 'PENDING':
    case 'REQUEUED':
      return `${id} ${job.state === 'REQUEUED' ? 'requeued, pending' : 'pending'}${job.reason ? ` (${job.reason})` : ''}${restarts}`;
    case 'RUNNING':
    case 'COMPLETING':
      return `${id} ${job.state.toLowerCase()}${job.node ? ` on ${job.node}` : ''}${restarts}`;
    case 'FAILED':
      return `${id} failed${job.exitCode !== undefined ? `, exit code ${job.exitCode}` : ''}${job.node ? ` on ${job.node}` : ''}`;
    default:
      return `${id} ${job.state.toLowerCase().replaceAll('_', ' ')}${job.reason ? ` (${job.reason})` : ''}${restarts}`;
  }
}
