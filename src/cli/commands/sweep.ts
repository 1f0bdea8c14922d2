/**
 * `gan-studio sweep`: one run per combination of the --vary values and per
 * seed, named by what differs, trained through this machine's queue or
 * submitted to Slurm as one throttled job array; with --wait, waits for all
 * and prints the verdict of each combination against the first.
 */
import { join, resolve } from 'node:path';
import { parseCliArgs } from '../parse-args';
import { CONFIG_FIELDS } from '../../shared/config-fields';
import type { TrainingConfigInput } from '../../shared/config';
import { printable } from '../../shared/printable';
import type { ExecutorChoice } from '../../shared/slurm';
import { planSweep, SweepError, type PlannedRun, type SweepAxis } from '../../shared/sweep';
import { newRunId } from '../../main/runs';
import { defaultNodeLaunch } from '../../main/slurm/studio-side';
import { arrayJobScript, runJobScript } from '../../main/slurm/job-script';
import { SUBMISSIONS_FOLDER } from '../../main/slurm/submit';
import { defaultRunsRoot } from '../../main/studio-home';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';
import { headlessStudio, waitForRuns } from '../headless-studio';
import { createProgressLine } from '../progress-bar';
import { EXECUTOR_HELP, EXECUTOR_OPTIONS, executorFromFlags } from '../slurm-flags';
import { formatSweepVerdict, sweepVerdict } from '../sweep-verdict';
import { configInputFromFlags } from '../config-flags';
import { datasetFor, OPTIONS as TRAIN_OPTIONS, type Values } from './train';

export const help = `Usage: gan-studio sweep [train options] --vary FLAG=V1,V2 [--vary …] [options]

Creates one run per combination of the --vary values and per seed, named by what
differs ("quick · hinge loss · EMA 0.99 · seed 3"), every combination on the same
seeds. On Slurm they are submitted as one job array; here they train one after
another through the run queue. The first combination is the baseline.

  --vary FLAG=V1,V2    vary any train option by its flag name, e.g. --vary loss=bce,hinge
                       --vary ema=0,0.99 --vary spectral-norm=off,on; separate values
                       with ; when they hold commas (--vary 'diffaugment=none;color,translation')
  --seeds N            runs per combination (default 1; 3 or more for an honest verdict),
                       seeds --seed, --seed + 1, … (a random first seed without --seed)
  --throttle N         on Slurm, at most N of the sweep's runs at once (default 4)
  --wait               wait until every run ended, then print the verdict table
                       (exit 0 when every run completed); the local executor always waits
  --dry-run            print the runs and the job scripts; create and submit nothing
  --out DIR            runs folder, as for train

Train options (the settings every run shares): --data, --preset, --epochs, --batch-size,
--seed, --max-images, --classes, --backend, every hyper-parameter and recipe flag of
"gan-studio train --help".

${EXECUTOR_HELP}

Exit codes: 0 submitted (or, with --wait, every run completed), 1 a run did not complete,
2 bad arguments or data, 130 interrupted (Slurm jobs go on; local runs stop with a checkpoint).`;

const { resume: _resume, ...SHARED_TRAIN_OPTIONS } = TRAIN_OPTIONS;
void _resume;

const OPTIONS = {
  ...SHARED_TRAIN_OPTIONS,
  ...EXECUTOR_OPTIONS,
  vary: { type: 'string', multiple: true },
  seeds: { type: 'string' },
  throttle: { type: 'string' },
  wait: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
} as const;

/** Flags that decide the dataset or the run folder, not the experiment: a sweep keeps them fixed. */
const FIXED_FLAGS = new Set(['data', 'preset', 'max-images', 'image-size', 'classes', 'out', 'name', 'seed']);
const DEFAULT_THROTTLE = 4;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCliArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  const runsRoot = resolve(values.out ?? defaultRunsRoot());
  const executor = await executorFromFlags(values, runsRoot);
  const seeds = wholeNumber(values.seeds ?? '1', 'seeds');
  if (values.throttle !== undefined && executor.kind !== 'slurm') throw new CliError('--throttle applies to Slurm job arrays.', EXIT.usage, 'Add --executor slurm, or drop it.');
  const throttle = values.throttle !== undefined ? wholeNumber(values.throttle, 'throttle') : DEFAULT_THROTTLE;
  const trainValues = values as Values;
  const base = configInputFromFlags(trainValues);
  const vary = (values.vary ?? []).map(parseVary);
  let plan: PlannedRun[];
  try {
    plan = planSweep({ config: base, vary, seeds, ...(values.name ? { name: values.name } : {}) });
  } catch (error) {
    if (error instanceof SweepError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
  // The service plans again: the same first seed gives the same runs.
  const request = { config: { ...base, seed: plan[0]!.config.seed }, vary, seeds, executor, ...(values.name ? { name: values.name } : {}) };
  if (values['dry-run']) {
    console.log(describeDryRun(plan, runsRoot, executor, throttle));
    return EXIT.ok;
  }

  const progress = createProgressLine();
  const imported = await datasetFor(trainValues, plan[0]!.config.preset, Math.max(...plan.map((planned) => planned.config.batchSize)), progress);
  const studio = headlessStudio(runsRoot);
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    progress.done(executor.kind === 'slurm' ? 'stopped waiting: the Slurm jobs go on (watch them with gan-studio serve, or squeue --me)' : 'stopping: the running run saves a checkpoint…');
    void studio.shutdown().then(() => process.exit(EXIT.interrupted));
  };
  try {
    const sweep = await studio.createSweep({ ...request, datasetId: imported.manifest.id, ...(executor.kind === 'slurm' ? { throttle } : {}) });
    for (const warning of sweep.warnings) console.error(`warning: ${printable(warning)}`);
    console.error(`sweep ${sweep.sweepId}: ${sweep.runs.length} runs in ${printable(runsRoot)}`);
    for (const summary of sweep.runs) console.error(`  ${summary.id}  ${printable(summary.name)}${summary.job?.jobId ? `  (Slurm job ${summary.job.jobId})` : ''}`);
    if (executor.kind === 'slurm' && !values.wait) {
      console.error('Submitted. Watch it with "gan-studio serve" (Runs view) or squeue --me; --wait waits here and prints the verdict.');
      return EXIT.ok;
    }
    process.on('SIGINT', onSigint);
    const ids = sweep.runs.map((summary) => summary.id);
    const ended = await waitForRuns(studio, ids, (line) => progress.done(line));
    console.log(formatSweepVerdict(await sweepVerdict(runsRoot, ids)));
    return ended.every((summary) => summary.status === 'completed') ? EXIT.ok : EXIT.failed;
  } finally {
    process.off('SIGINT', onSigint);
    if (!interrupted) await studio.shutdown();
  }
}

/**
 * "loss=bce,hinge" → { key: 'loss', values: ['bce', 'hinge'] }: each value is read by train's own
 * flag parser, so a sweep takes exactly what train takes.
 */
function parseVary(raw: string): SweepAxis {
  const at = raw.indexOf('=');
  const flag = raw.slice(0, at).replace(/^--/, '').trim();
  const variable = CONFIG_FIELDS.flatMap((candidate) => (candidate.flag ? [candidate.flag.slice(2)] : [])).filter((name) => name in SHARED_TRAIN_OPTIONS && !FIXED_FLAGS.has(name));
  if (at < 0 || !variable.includes(flag)) {
    throw new CliError(`--vary expects FLAG=V1,V2 with a train option as FLAG, got "${raw}".`, EXIT.usage, `Vary one of: ${variable.join(', ')} (seeds: --seeds).`);
  }
  const field = CONFIG_FIELDS.find((candidate) => candidate.flag === `--${flag}`)!;
  const text = raw.slice(at + 1);
  const values = (text.includes(';') ? text.split(';') : text.split(',')).map((value) => value.trim());
  if (values.some((value) => value === '')) throw new CliError(`--vary ${flag} has an empty value in "${text}".`, EXIT.usage);
  return {
    key: field.key as SweepAxis['key'],
    values: values.map((value) => {
      const parsed = field.kind === 'switch' ? { [flag]: onOff(value, flag) } : { [flag]: value };
      return configInputFromFlags(parsed)[field.key as keyof TrainingConfigInput];
    }),
  };
}

function onOff(value: string, flag: string): boolean {
  if (['on', 'true', 'yes', '1'].includes(value)) return true;
  if (['off', 'false', 'no', '0'].includes(value)) return false;
  throw new CliError(`--vary ${flag} takes on or off, got "${value}".`, EXIT.usage);
}

function wholeNumber(raw: string, flag: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < 1) throw new CliError(`--${flag} expects a whole number of at least 1, got "${raw}".`, EXIT.usage);
  return value;
}

/** The runs a sweep would create and, on Slurm, the scripts it would submit (run folders as they would be named). */
function describeDryRun(plan: PlannedRun[], runsRoot: string, executor: ExecutorChoice, throttle: number): string {
  const ids = plan.map((planned) => newRunId(planned.config.preset));
  const lines = [`${plan.length} runs (${executor.kind === 'slurm' ? `one Slurm job array, at most ${throttle} at once` : 'one after another through the run queue'}):`];
  plan.forEach((planned, index) => lines.push(`  ${ids[index]}  ${planned.name}`));
  if (executor.kind !== 'slurm') return lines.join('\n');
  const name = `gan-studio-sweep-DRYRUN`;
  const folder = join(runsRoot, SUBMISSIONS_FOLDER, name);
  const runDirs = ids.map((id) => join(runsRoot, id));
  lines.push('', `# ${join(folder, 'array.sh')} (submitted with sbatch)`, arrayJobScript({ jobName: name, folder, runDirs, throttle, settings: executor.slurm }));
  lines.push(
    `# ${join(runDirs[0]!, 'slurm', 'job.sh')} (each run's own; task i runs run i's)`,
    runJobScript({ runId: ids[0]!, runName: plan[0]!.name, runDir: runDirs[0]!, jobName: name, settings: executor.slurm, launch: defaultNodeLaunch() }),
  );
  return lines.join('\n');
}
