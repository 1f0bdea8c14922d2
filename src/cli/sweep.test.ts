/**
 * `gan-studio sweep` as a user runs it: a real process on real files. The
 * local executor trains the sweep through the run queue; on the real Slurm
 * cluster (.ci/start-slurm.sh) it is one array; --wait ends with the verdict.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlurmForTests } from '../main/slurm/test-cluster';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, 'gan-studio.js');
const cluster = await startSlurmForTests();
let home: string;

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, GAN_STUDIO_HOME: home, GAN_STUDIO_RUNS: join(home, 'runs'), ...env },
      timeout: 280_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// The built-in sample at 16×16, 32 images, batch 16: 2 steps an epoch.
const SMALL = ['--preset', 'tiny', '--max-images', '32', '--batch-size', '16', '--backend', 'cpu', '--epochs', '1'];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'gan-sweep-cli-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('gan-studio sweep', () => {
  it('--dry-run prints the runs and the array script, and creates nothing', async () => {
    const result = await cli(['sweep', ...SMALL, '--seeds', '2', '--seed', '3', '--vary', 'loss=bce,hinge', '--executor', 'slurm', '--time', '10', '--throttle', '2', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^4 runs \(one Slurm job array, at most 2 at once\):/);
    expect(result.stdout).toContain('tiny · hinge loss · seed 4');
    expect(result.stdout).toContain('#SBATCH --array=0-3%2');
    expect(result.stdout).toContain('train-job "$run_dir"');
    await expect(readdir(join(home, 'runs'))).rejects.toThrow();
  });

  it('refuses what it cannot sweep, saying what can be', async () => {
    const fixed = await cli(['sweep', ...SMALL, '--vary', 'data=a,b', '--dry-run']);
    expect(fixed.code).toBe(2);
    expect(fixed.stderr).toContain('--vary expects FLAG=V1,V2 with a train option as FLAG, got "data=a,b"');
    expect(fixed.stderr).toMatch(/Hint: Vary one of: .*loss/);
    const badValue = await cli(['sweep', ...SMALL, '--vary', 'loss=bce,wasserstein', '--dry-run']);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain('--loss expects one of bce, hinge');
    const local = await cli(['sweep', ...SMALL, '--partition', 'gpu', '--dry-run']);
    expect(local.code).toBe(2);
    expect(local.stderr).toContain('--partition only apply to Slurm jobs');
  });

  it('says so when Slurm is not there (no sbatch on PATH), before creating any run', async () => {
    const nodeOnly = await mkdtemp(join(tmpdir(), 'gan-node-only-'));
    await symlink(process.execPath, join(nodeOnly, 'node'));
    const result = await cli(['sweep', ...SMALL, '--vary', 'loss=bce,hinge', '--executor', 'slurm'], { PATH: nodeOnly });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Slurm is not available here: sbatch is not on PATH.');
    expect(result.stderr).toMatch(/Hint: Run the studio .* on a machine that can submit jobs/);
    expect(await readdir(join(home, 'runs')).catch(() => [])).toEqual([]);
    await rm(nodeOnly, { recursive: true });
  });

  it('trains a sweep here through the run queue and prints the verdict against the first combination', async () => {
    const result = await cli(['sweep', ...SMALL, '--seeds', '1', '--seed', '8', '--vary', 'loss=bce,hinge', '--wait', '--out', join(home, 'local-runs')]);
    expect(result.stderr).toContain('sweep sweep-');
    expect(result.stderr).toContain('tiny · hinge loss · seed 8: completed');
    expect(result.stdout).toMatch(/^verdict at epoch 1 against tiny · bce loss:/);
    expect(result.code).toBe(0);
  }, 300_000);

  it.skipIf(!cluster.run)('submits a sweep to Slurm as one array and, with --wait, exits 0 with the verdict', async () => {
    const result = await cli(['sweep', ...SMALL, '--seeds', '1', '--seed', '9', '--vary', 'ema=0,0.9', '--executor', 'slurm', '--time', '10', '--throttle', '2', '--wait']);
    expect(result.stderr).toMatch(/warning: The runs folder .* may not be visible to the compute nodes/);
    expect(result.stderr).toMatch(/\(Slurm job (\d+)_0\)[\s\S]*\(Slurm job \1_1\)/);
    expect(result.stderr).toMatch(/tiny · EMA 0.9 · seed 9: completed — job \d+_1 completed/);
    expect(result.stdout).toMatch(/^verdict at epoch 1 against tiny · EMA 0:/);
    expect(result.code).toBe(0);
  }, 300_000);
});
