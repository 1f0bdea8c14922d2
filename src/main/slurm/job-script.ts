/**
 * The job scripts, as text. A run's `slurm/job.sh` is what trains it on a node
 * (submitted as is for one run; a sweep's array script runs it for its task),
 * so the script a user reads in the run folder is the script that runs.
 *
 * What the script does, as submitit does for Python: ask for a signal ahead of
 * the time limit (`--signal=B:USR1@…`, to the batch shell) and be requeueable;
 * forward that signal, and the SIGTERM of `scontrol requeue`, a preemption or
 * `scancel`, to the trainer, which checkpoints and exits; at the time limit,
 * requeue the job while the run is unfinished (a bounded number of times); on
 * restart the trainer resumes from its checkpoint. Each attempt appends one
 * line to `slurm/exits.jsonl` (the studio's record of how it ended when Slurm
 * keeps no accounting), and stdout/stderr go to `slurm/stdout.log` / `stderr.log`.
 */
import { join } from 'node:path';
import { DEFAULT_MAX_REQUEUES, DEFAULT_SIGNAL_SECONDS, type SlurmSettings } from '../../shared/slurm';
import { SlurmError } from './slurm-error';

/** Files in a run folder's `slurm/`. */
export const SLURM_FILES = {
  folder: 'slurm',
  script: 'job.sh',
  stdout: 'stdout.log',
  stderr: 'stderr.log',
  exits: 'exits.jsonl',
} as const;

/** Exit code of `gan-studio train-job` when the trainer stopped on a signal with its checkpoint saved. */
export const STOPPED_EXIT_CODE = 130;

/** How the node starts the studio's trainer: `<node> <cli> train-job RUN_DIR`. */
export interface NodeLaunch {
  /** The Node.js binary (on storage the nodes share, or on their PATH). */
  node: string;
  /** The `gan-studio` CLI script. */
  cli: string;
}

/** The #SBATCH options a run's settings ask for (unset ones are left to the cluster's defaults). */
export function resourceOptions(settings: SlurmSettings): string[] {
  return [
    settings.partition && `--partition=${settings.partition}`,
    settings.account && `--account=${settings.account}`,
    settings.gres && `--gres=${settings.gres}`,
    settings.cpus !== undefined && `--cpus-per-task=${settings.cpus}`,
    settings.memory && `--mem=${settings.memory}`,
    settings.time && `--time=${settings.time}`,
    ...(settings.extraArgs ?? []),
  ].filter((option): option is string => typeof option === 'string');
}

/** Options every studio job carries: requeueable, the time-limit signal to the batch shell, logs appended across restarts. */
function lifecycleOptions(settings: SlurmSettings): string[] {
  return ['--requeue', `--signal=B:USR1@${settings.signalSeconds ?? DEFAULT_SIGNAL_SECONDS}`, '--open-mode=append'];
}

/** The script that trains one run (its run folder's slurm/job.sh). */
export function runJobScript(input: { runId: string; runName: string; runDir: string; jobName: string; settings: SlurmSettings; launch: NodeLaunch }): string {
  const { runDir, settings } = input;
  const folder = join(runDir, SLURM_FILES.folder);
  const directives = [
    `--job-name=${input.jobName}`,
    `--output=${slurmPath(join(folder, SLURM_FILES.stdout))}`,
    `--error=${slurmPath(join(folder, SLURM_FILES.stderr))}`,
    ...lifecycleOptions(settings),
    ...resourceOptions(settings),
  ];
  return `#!/bin/bash
# GAN Studio: trains run "${oneLine(input.runName)}" (${input.runId}) on a Slurm cluster.
# Written by the studio and submitted as is (a sweep's array script runs it for its task).
${directives.map((option) => `#SBATCH ${option}`).join('\n')}
set -u
run_dir=${shellQuote(runDir)}
max_requeues=${settings.maxRequeues ?? DEFAULT_MAX_REQUEUES}
job="\${SLURM_ARRAY_JOB_ID:+\${SLURM_ARRAY_JOB_ID}_\${SLURM_ARRAY_TASK_ID}}"
job="\${job:-\${SLURM_JOB_ID:-none}}"
restart="\${SLURM_RESTART_COUNT:-0}"
node_name="$(hostname -s)"
echo "gan-studio: job $job (Slurm id \${SLURM_JOB_ID:-none}, restart $restart) on $node_name at $(date -Is)"
${settings.setup ? `${settings.setup.trim()}\n` : ''}
# The time-limit signal (USR1) and Slurm's SIGTERM (scontrol requeue, preemption, scancel) both
# reach the trainer as SIGTERM: it checkpoints after its current step and exits.
pid=
signal=
at_limit=0
on_limit() { signal=USR1; at_limit=1; [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; }
on_term() { signal="\${signal:-TERM}"; [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; }
trap on_limit USR1
trap on_term TERM
${shellQuote(input.launch.node)} ${shellQuote(input.launch.cli)} train-job "$run_dir" &
pid=$!
# A trapped signal cuts wait short: wait again until the trainer is gone, then take its own status.
while kill -0 "$pid" 2>/dev/null; do wait "$pid"; done
wait "$pid"
code=$?

requeued=false
# At the time limit, a trainer that checkpointed (or died of the signal before it could listen:
# exit code above 128) runs again from its last checkpoint.
if [ "$at_limit" = 1 ] && { [ "$code" = ${STOPPED_EXIT_CODE} ] || [ "$code" -gt 128 ]; }; then
  if [ "$restart" -lt "$max_requeues" ]; then
    requeued=true
  else
    echo "gan-studio: the time limit stopped this run $((restart + 1)) times; it is not requeued again (Resume in the studio continues from the checkpoint)." >&2
  fi
fi
mkdir -p "$run_dir/${SLURM_FILES.folder}"
printf '{"job":"%s","slurmJobId":"%s","restart":%d,"node":"%s","exitCode":%d,"signal":"%s","requeued":%s,"at":"%s"}\\n' \\
  "$job" "\${SLURM_JOB_ID:-}" "$restart" "$node_name" "$code" "$signal" "$requeued" "$(date -Is)" >>"$run_dir/${SLURM_FILES.folder}/${SLURM_FILES.exits}"
if [ "$requeued" = true ]; then
  echo "gan-studio: checkpoint saved before the time limit; requeueing job $job"
  scontrol requeue "\${SLURM_JOB_ID}" || echo "gan-studio: scontrol requeue failed; Resume in the studio continues from the checkpoint" >&2
fi
# A run stopped with its checkpoint saved is a job done, not a failed one.
[ "$code" = ${STOPPED_EXIT_CODE} ] && exit 0
exit "$code"
`;
}

/**
 * A sweep's array script: task i runs the i-th run's job.sh. Output goes to `tasks/<i>/`,
 * a link to that run's slurm/ folder, so each run's logs land in its own folder.
 */
export function arrayJobScript(input: {
  jobName: string;
  /** The submission's folder (holds this script and the tasks/ links). */
  folder: string;
  runDirs: string[];
  /** At most this many tasks run at once (%N); undefined: as many as Slurm allows. */
  throttle?: number;
  settings: SlurmSettings;
}): string {
  const { runDirs, throttle } = input;
  if (runDirs.length === 0) throw new SlurmError('A job array needs at least one run.');
  const tasks = join(input.folder, 'tasks');
  const directives = [
    `--job-name=${input.jobName}`,
    `--array=0-${runDirs.length - 1}${throttle ? `%${throttle}` : ''}`,
    `--output=${slurmPath(tasks, `/%a/${SLURM_FILES.stdout}`)}`,
    `--error=${slurmPath(tasks, `/%a/${SLURM_FILES.stderr}`)}`,
    ...lifecycleOptions(input.settings),
    ...resourceOptions(input.settings),
  ];
  return `#!/bin/bash
# GAN Studio: a sweep of ${runDirs.length} run${runDirs.length === 1 ? '' : 's'} as one job array; task i trains runs[i] with its own job script.
${directives.map((option) => `#SBATCH ${option}`).join('\n')}
runs=(
${runDirs.map((dir) => `  ${shellQuote(dir)}`).join('\n')}
)
exec bash "\${runs[$SLURM_ARRAY_TASK_ID]}/${SLURM_FILES.folder}/${SLURM_FILES.script}"
`;
}

/** A word for bash, single-quoted. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * A path for an #SBATCH file option: double-quoted, its "%" doubled (Slurm reads %a, %j… as
 * patterns), then `pattern` (e.g. "/%a/stdout.log") as is. A double quote, backslash or line
 * break cannot be written there at all.
 */
export function slurmPath(path: string, pattern = ''): string {
  if (/["\n\r\\]/.test(path)) {
    throw new SlurmError(
      `The path ${JSON.stringify(path)} cannot be written into a Slurm job script (it holds a double quote, backslash or line break).`,
      'Move the runs folder to a path without those characters.',
    );
  }
  return `"${path.replaceAll('%', '%%')}${pattern}"`;
}

/** A run name in a comment: one line. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
