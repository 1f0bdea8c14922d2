/**
 * Where a run trains, as `train` and `sweep` flags: --executor local|slurm and
 * the job's settings. Unset flags take the settings last used from this runs
 * folder (the app and serve remember them there too).
 */
import type { z } from 'zod';
import { EXECUTOR_KINDS, slurmSettingsSchema, type ExecutorChoice, type SlurmSettings } from '../shared/slurm';
import { loadSlurmSettings } from '../main/slurm/settings-store';
import { CliError } from './cli-error';
import { EXIT } from './exit-codes';

export const EXECUTOR_OPTIONS = {
  executor: { type: 'string' },
  partition: { type: 'string' },
  account: { type: 'string' },
  gres: { type: 'string' },
  cpus: { type: 'string' },
  mem: { type: 'string' },
  time: { type: 'string' },
  'sbatch-arg': { type: 'string', multiple: true },
  setup: { type: 'string' },
  'signal-before': { type: 'string' },
  'max-requeues': { type: 'string' },
} as const;

export const EXECUTOR_HELP = `Where it trains:
  --executor local|slurm   this machine's queue (default) or a Slurm cluster: each run
                           a job (a sweep: one job array), submitted with sbatch from
                           here (a login node); runs and datasets must be on storage
                           the compute nodes share
  --partition NAME  --account NAME  --gres gpu:1  --cpus N  --mem 16G  --time 4:00:00
  --sbatch-arg OPT         one more sbatch option (repeatable), e.g. --sbatch-arg=--qos=high
  --setup 'LINES'          shell lines run on the node first, e.g. 'module load cuda/12'
  --signal-before SECONDS  checkpoint signal ahead of the time limit (default 120)
  --max-requeues N         times a job requeues itself at its time limit (default 3)
                           (unset Slurm flags take the settings last used from this runs folder)`;

type ExecutorValues = { [K in keyof typeof EXECUTOR_OPTIONS]?: (typeof EXECUTOR_OPTIONS)[K] extends { multiple: true } ? string[] : string };

const SLURM_ONLY: (keyof typeof EXECUTOR_OPTIONS)[] = ['partition', 'account', 'gres', 'cpus', 'mem', 'time', 'sbatch-arg', 'setup', 'signal-before', 'max-requeues'];

/** The executor the flags choose, with the Slurm settings: flags over those remembered for `runsRoot`. */
export async function executorFromFlags(values: ExecutorValues, runsRoot: string): Promise<ExecutorChoice> {
  const kind = values.executor ?? 'local';
  if (!(EXECUTOR_KINDS as readonly string[]).includes(kind)) {
    throw new CliError(`--executor expects ${EXECUTOR_KINDS.join(' or ')}, got "${kind}".`, EXIT.usage);
  }
  if (kind === 'local') {
    const stray = SLURM_ONLY.filter((key) => values[key] !== undefined);
    if (stray.length > 0) throw new CliError(`${stray.map((key) => `--${key}`).join(', ')} only apply to Slurm jobs.`, EXIT.usage, 'Add --executor slurm, or drop them.');
    return { kind: 'local' };
  }
  const remembered = await loadSlurmSettings(runsRoot);
  const given = {
    partition: values.partition,
    account: values.account,
    gres: values.gres,
    cpus: integer(values.cpus, 'cpus'),
    memory: values.mem,
    time: values.time,
    extraArgs: values['sbatch-arg'],
    setup: values.setup,
    signalSeconds: integer(values['signal-before'], 'signal-before'),
    maxRequeues: integer(values['max-requeues'], 'max-requeues'),
  };
  const merged = { ...remembered, ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) };
  const parsed = slurmSettingsSchema.safeParse(merged);
  if (!parsed.success) throw new CliError(`Invalid Slurm settings:\n${describe(parsed.error)}`, EXIT.usage);
  return { kind: 'slurm', slurm: parsed.data satisfies SlurmSettings };
}

const FLAG_OF: Record<string, string> = { memory: 'mem', extraArgs: 'sbatch-arg', signalSeconds: 'signal-before', maxRequeues: 'max-requeues' };

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `  --${FLAG_OF[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}`).join('\n');
}

function integer(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value)) throw new CliError(`--${flag} expects a whole number, got "${raw}".`, EXIT.usage);
  return value;
}
