/**
 * The real Slurm cluster the Slurm tests run against: a single node on this
 * machine, started (idempotently) by .ci/start-slurm.sh, as CI does. Where it
 * cannot start (not root, Slurm not installed), the tests are skipped with a
 * loud banner; under CI=true that fails instead: CI must run them.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../paths';

export type SlurmTestAvailability = { run: true } | { run: false; banner: string };

const FIX = 'run the tests as root on Debian with slurm-wlm and munge installed (apt-get install slurm-wlm munge), as .ci/run does';

/** @throws Error under CI=true when the cluster could not start. */
export function slurmTestAvailability(problem: string | undefined, env: NodeJS.ProcessEnv): SlurmTestAvailability {
  if (problem === undefined) return { run: true };
  if (env.CI === 'true') throw new Error(`The Slurm tests cannot run: ${problem}. CI must run them: ${FIX}.`);
  const line = '!'.repeat(78);
  return {
    run: false,
    banner: [
      line,
      '!! SLURM SKIPPED: the Slurm executor tests (sweep array, requeue, time limit, cancel, failure, restart) did not run.',
      `!! Why: ${problem}. Fix: ${FIX}`,
      line,
    ].join('\n'),
  };
}

let started: Promise<SlurmTestAvailability> | undefined;

/** Start the cluster once per test process; prints the banner when the tests will be skipped. */
export function startSlurmForTests(env: NodeJS.ProcessEnv = process.env): Promise<SlurmTestAvailability> {
  started ??= new Promise<string | undefined>((resolve) => {
    execFile(join(packageRoot(), '.ci', 'start-slurm.sh'), { timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve(error ? `${stderr}`.trim() || error.message : undefined);
    });
  }).then((problem) => {
    const availability = slurmTestAvailability(problem, env);
    if (!availability.run) console.warn(availability.banner);
    return availability;
  });
  return started;
}
