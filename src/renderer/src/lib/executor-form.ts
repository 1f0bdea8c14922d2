/**
 * The "Where it trains" form: this machine, or a Slurm cluster with its job's
 * settings as typed text, checked with the shared schema so the form refuses
 * what the server would (Slurm itself may still refuse a partition it does
 * not have: its own words then show).
 */
import { slurmSettingsSchema, type ExecutorChoice, type SlurmSettings } from '../../../shared/slurm';

/** The Slurm fields as typed; extra sbatch options one per line. */
export interface SlurmFormValues {
  partition: string;
  account: string;
  gres: string;
  cpus: string;
  memory: string;
  time: string;
  extraArgs: string;
  setup: string;
}

/** The fields, their labels and an example each (placeholders). */
export const SLURM_FIELDS: { key: Exclude<keyof SlurmFormValues, 'extraArgs' | 'setup'>; label: string; example: string }[] = [
  { key: 'partition', label: 'Partition', example: 'gpu' },
  { key: 'account', label: 'Account', example: 'my-lab' },
  { key: 'gres', label: 'GPUs (gres)', example: 'gpu:1' },
  { key: 'cpus', label: 'CPUs', example: '4' },
  { key: 'memory', label: 'Memory', example: '16G' },
  { key: 'time', label: 'Time limit', example: '4:00:00' },
];

/** Form text from settings (the ones last used from this runs folder). */
export function slurmFormValues(settings: SlurmSettings): SlurmFormValues {
  return {
    partition: settings.partition ?? '',
    account: settings.account ?? '',
    gres: settings.gres ?? '',
    cpus: settings.cpus === undefined ? '' : String(settings.cpus),
    memory: settings.memory ?? '',
    time: settings.time ?? '',
    extraArgs: (settings.extraArgs ?? []).join('\n'),
    setup: settings.setup ?? '',
  };
}

export type SlurmFormResult = { ok: true; settings: SlurmSettings } | { ok: false; errors: Partial<Record<keyof SlurmFormValues, string>> };

/** Blank fields are left to the cluster's defaults. */
export function validateSlurmForm(values: SlurmFormValues, kept: Pick<SlurmSettings, 'signalSeconds' | 'maxRequeues'> = {}): SlurmFormResult {
  const text = (value: string) => value.trim() || undefined;
  const cpus = text(values.cpus);
  const input = {
    partition: text(values.partition),
    account: text(values.account),
    gres: text(values.gres),
    cpus: cpus === undefined ? undefined : Number(cpus),
    memory: text(values.memory),
    time: text(values.time),
    extraArgs: values.extraArgs.split('\n').map((line) => line.trim()).filter(Boolean),
    setup: text(values.setup),
    ...kept,
  };
  const parsed = slurmSettingsSchema.safeParse(Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0))));
  if (parsed.success) return { ok: true, settings: parsed.data };
  const errors: Partial<Record<keyof SlurmFormValues, string>> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0]) as keyof SlurmFormValues;
    errors[key] ??= key === 'cpus' ? 'CPUs must be a whole number of at least 1.' : issue.message;
  }
  return { ok: false, errors };
}

/** The executor a form state chooses, or undefined while the Slurm fields have errors. */
export function executorChoice(kind: 'local' | 'slurm', result: SlurmFormResult): ExecutorChoice | undefined {
  if (kind === 'local') return { kind: 'local' };
  return result.ok ? { kind: 'slurm', slurm: result.settings } : undefined;
}
