/**
 * Slurm's commands as functions: sbatch, squeue, scancel, scontrol, sacct —
 * run with execFile (no shell), each with a timeout, their own error text kept
 * for the user. The studio talks to Slurm only through this module, so a
 * cluster reachable where the studio runs (`sbatch` on PATH) is all it needs.
 */
import { execFile } from 'node:child_process';
import { SlurmError, SlurmUnavailableError } from './slurm-error';
import { parseSacct, parseSqueue, SQUEUE_FORMAT, type SacctRow, type SqueueRow } from './slurm-output';

const TIMEOUT_MS = 60_000;
const NOT_THERE_HINT =
  'Run the studio (serve or the CLI) on a machine that can submit jobs — a login node, with sbatch on PATH — or train on this machine instead.';

export interface SlurmCommandsOptions {
  /** Where the commands are looked up (default: PATH). A folder of fakes in benches. */
  env?: NodeJS.ProcessEnv;
}

export class SlurmCommands {
  constructor(private readonly options: SlurmCommandsOptions = {}) {}

  /** Slurm's version when sbatch is there and the controller answers; SlurmError saying why not. */
  async check(): Promise<string> {
    const version = (await this.run('sbatch', ['--version'])).trim();
    await this.run('squeue', ['--me', '-h', '-o', '%i']);
    return version;
  }

  /** Submit `script`; resolves with the job id (an array's id for an array). Slurm's refusal is the error's message. */
  async sbatch(script: string, args: string[] = []): Promise<string> {
    const out = await this.run('sbatch', ['--parsable', ...args, script], 'Slurm refused the job');
    const id = out.trim().split(';')[0] ?? '';
    if (!/^\d+$/.test(id)) throw new SlurmError(`sbatch answered "${out.trim()}" instead of a job id.`);
    return id;
  }

  /** Every job of this user Slurm still lists (recently ended ones included), one row per array task. */
  async squeue(): Promise<SqueueRow[]> {
    return parseSqueue(await this.run('squeue', ['--me', '--array', '--states=all', '--noheader', `--Format=${SQUEUE_FORMAT}`]));
  }

  /** Jobs of this user named `name` (a submission's name), one row per array task. */
  async jobsNamed(name: string): Promise<SqueueRow[]> {
    return parseSqueue(await this.run('squeue', ['--me', '--array', '--noheader', `--name=${name}`, `--Format=${SQUEUE_FORMAT}`]));
  }

  /** Let a held job (or every task of a held array) start. */
  async release(jobId: string): Promise<void> {
    await this.run('scontrol', ['release', jobId]);
  }

  /** Cancel a job; with `signal`, only send it to the batch shell and its children (the job goes on until they exit). */
  async cancel(jobId: string, signal?: 'TERM' | 'USR1'): Promise<void> {
    await this.run('scancel', signal ? ['--batch', `--signal=${signal}`, jobId] : [jobId]);
  }

  /** The cluster's MaxArraySize: array indices must stay below it. */
  async maxArraySize(): Promise<number> {
    const config = await this.run('scontrol', ['show', 'config']);
    const match = /^MaxArraySize\s*=\s*(\d+)/m.exec(config);
    return match ? Number(match[1]) : 1001; // Slurm's default
  }

  /** sacct's rows for these jobs, or undefined when accounting is off or sacct is not there. */
  async sacct(jobIds: string[]): Promise<SacctRow[] | undefined> {
    if (jobIds.length === 0) return [];
    try {
      const out = await this.run('sacct', ['--noheader', '--parsable2', '--allocations', '--format=JobID,State,ExitCode,NodeList', `--jobs=${jobIds.join(',')}`]);
      return parseSacct(out);
    } catch {
      return undefined; // "Slurm accounting storage is disabled" and the like: squeue and the run folder must do
    }
  }

  private run(command: string, args: string[], refusal?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(command, args, { timeout: TIMEOUT_MS, env: this.options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(new SlurmUnavailableError(`Slurm is not available here: ${command} is not on PATH.`, NOT_THERE_HINT));
        }
        const said = `${stderr}`.trim() || `${stdout}`.trim() || error.message;
        if (/unable to contact slurm controller|connection refused|could not establish a configuration/i.test(said)) {
          return reject(new SlurmUnavailableError(`Slurm's controller does not answer: ${said}`, 'Check that the cluster is up (sinfo), or ask its admins.'));
        }
        reject(new SlurmError(`${refusal ?? `${command} failed`}: ${said}`, refusal ? 'Change the Slurm settings Slurm named, then submit again.' : undefined));
      });
    });
  }
}
