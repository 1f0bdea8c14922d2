/**
 * The job scripts as text: every setting becomes its #SBATCH line, paths are
 * quoted for Slurm and bash, and the generated scripts are valid bash.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { arrayJobScript, resourceOptions, runJobScript, shellQuote, slurmPath } from './job-script';

const launch = { node: '/opt/node/bin/node', cli: '/home/ada/gan-studio/src/cli/gan-studio.js' };

function bashAccepts(script: string): void {
  execFileSync('bash', ['-n'], { input: script });
}

describe('runJobScript', () => {
  const script = runJobScript({
    runId: 'r1',
    runName: "Ada's run\nsecond line",
    runDir: "/home/ada/runs 100%/it's",
    jobName: 'gan-studio-r1-abc123',
    settings: { partition: 'gpu', account: 'lab', gres: 'gpu:1', cpus: 4, memory: '16G', time: '4:00:00', extraArgs: ['--qos=high'], setup: 'module load cuda/12' },
    launch,
  });

  it('asks Slurm for what the settings say, in one #SBATCH line each, plus requeue and the signal ahead of the limit', () => {
    const directives = script.split('\n').filter((line) => line.startsWith('#SBATCH '));
    expect(directives).toEqual([
      '#SBATCH --job-name=gan-studio-r1-abc123',
      '#SBATCH --output="/home/ada/runs 100%%/it\'s/slurm/stdout.log"',
      '#SBATCH --error="/home/ada/runs 100%%/it\'s/slurm/stderr.log"',
      '#SBATCH --requeue',
      '#SBATCH --signal=B:USR1@120',
      '#SBATCH --open-mode=append',
      '#SBATCH --partition=gpu',
      '#SBATCH --account=lab',
      '#SBATCH --gres=gpu:1',
      '#SBATCH --cpus-per-task=4',
      '#SBATCH --mem=16G',
      '#SBATCH --time=4:00:00',
      '#SBATCH --qos=high',
    ]);
  });

  it('quotes the run folder for bash, runs the setup lines, starts train-job and bounds the requeues', () => {
    expect(script).toContain(`run_dir='/home/ada/runs 100%/it'\\''s'`);
    expect(script).toContain('\nmodule load cuda/12\n');
    expect(script).toContain(`'/opt/node/bin/node' '/home/ada/gan-studio/src/cli/gan-studio.js' train-job "$run_dir" &`);
    expect(script).toContain('max_requeues=3');
    expect(script).toContain('# GAN Studio: trains run "Ada\'s run second line" (r1)');
    bashAccepts(script);
  });

  it('takes the signal lead and the requeue bound from the settings', () => {
    const custom = runJobScript({ runId: 'r', runName: 'r', runDir: '/runs/r', jobName: 'j', settings: { signalSeconds: 300, maxRequeues: 0 }, launch });
    expect(custom).toContain('#SBATCH --signal=B:USR1@300');
    expect(custom).toContain('max_requeues=0');
    expect(resourceOptions({})).toEqual([]);
  });
});

describe('arrayJobScript', () => {
  it('is one array with its throttle; task i runs run i with its output in that run folder', () => {
    const script = arrayJobScript({ jobName: 'gan-studio-sweep', folder: '/runs/.slurm/submissions/gan-studio-sweep', runDirs: ['/runs/a', "/runs/b'c"], throttle: 2, settings: { time: '30' } });
    expect(script).toContain('#SBATCH --array=0-1%2');
    expect(script).toContain('#SBATCH --output="/runs/.slurm/submissions/gan-studio-sweep/tasks/%a/stdout.log"');
    expect(script).toContain('#SBATCH --time=30');
    expect(script).toContain(`  '/runs/a'\n  '/runs/b'\\''c'\n`);
    expect(script).toContain('exec bash "${runs[$SLURM_ARRAY_TASK_ID]}/slurm/job.sh"');
    bashAccepts(script);
    expect(arrayJobScript({ jobName: 'j', folder: '/f', runDirs: ['/r'], settings: {} })).toContain('#SBATCH --array=0-0\n');
  });
});

describe('quoting', () => {
  it('doubles % for Slurm and refuses what an #SBATCH line cannot hold', () => {
    expect(slurmPath('/a/50%/b')).toBe('"/a/50%%/b"');
    expect(slurmPath('/a%', '/%a/x')).toBe('"/a%%/%a/x"');
    expect(() => slurmPath('/a"b')).toThrow(/cannot be written into a Slurm job script/);
    expect(() => slurmPath('/a\nb')).toThrow(/cannot be written/);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
