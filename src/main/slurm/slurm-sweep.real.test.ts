/**
 * A sweep on a real Slurm cluster (.ci/start-slurm.sh's single node): 2 losses
 * × 2 seeds of tiny runs submitted as ONE job array throttled at 2, every run
 * completed, followed live by its files, and judged against the first
 * combination with the verdict.
 */
import { stat } from 'node:fs/promises';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StudioEvent } from '../../shared/api';
import { formatSweepVerdict, sweepVerdict } from '../../cli/sweep-verdict';
import { readRunRecord } from '../runs';
import type { StudioService } from '../studio-service';
import { writeSquaresDataset } from '../common/test-support';
import { startSlurmForTests } from './test-cluster';
import { scontrol, slurmStudio, tinyConfig } from './test-support';

const cluster = await startSlurmForTests();

describe.skipIf(!cluster.run)('a sweep on Slurm', () => {
  let root: string;
  let studio: StudioService | undefined;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gan-slurm-sweep-'));
    await writeSquaresDataset(join(root, 'datasets', 'squares-test'), 24);
  });
  afterAll(async () => {
    await studio?.shutdown();
    await rm(root, { recursive: true, force: true });
  });

  it('submits a 2 × 2 sweep as one array throttled at 2; all complete, followed live, and get a verdict', async () => {
    studio = slurmStudio(root);
    const lags: number[] = [];
    const events: StudioEvent[] = [];
    studio.onEvent((event) => {
      events.push(event);
      // How long after the trainer wrote its newest metric line the UI got it (the file's mtime is that write).
      if (event.type === 'run-steps') {
        void stat(join(root, 'runs', event.runId, 'metrics.jsonl')).then((file) => lags.push(Date.now() - file.mtimeMs));
      }
    });
    const sweep = await studio.createSweep({
      datasetId: 'squares-test',
      config: tinyConfig(11, 2),
      vary: [{ key: 'loss', values: ['bce', 'hinge'] }],
      seeds: 2,
      executor: { kind: 'slurm', slurm: { time: '10', cpus: 1 } },
      throttle: 2,
    });
    expect(sweep.runs.map((run) => run.name)).toEqual(['tiny · bce loss · seed 11', 'tiny · bce loss · seed 12', 'tiny · hinge loss · seed 11', 'tiny · hinge loss · seed 12']);
    // The test's runs folder is under /tmp: the studio says the nodes may not see it.
    expect(sweep.warnings.join('\n')).toMatch(/runs folder .* may not be visible to the compute nodes/);

    // One array: task i is run i, in plan order, with the throttle Slurm was given.
    const jobIds = await Promise.all(sweep.runs.map(async (run) => (await readRunRecord(join(root, 'runs', run.id))).slurm?.jobId));
    const arrayId = jobIds[0]!.split('_')[0]!;
    expect(jobIds).toEqual([0, 1, 2, 3].map((task) => `${arrayId}_${task}`));
    expect(await scontrol('show', 'job', arrayId)).toMatch(/ArrayTaskThrottle=2/);
    const script = await readFile(join(root, 'runs', sweep.runs[0]!.id, 'slurm', 'job.sh'), 'utf8');
    expect(script).toContain('#SBATCH --signal=B:USR1@120');
    expect(script).toContain('#SBATCH --requeue');

    let mostRunning = 0;
    const pendingReasons = new Set<string>();
    await vi.waitFor(
      async () => {
        const mine = (await studio!.listRuns()).filter((run) => sweep.runs.some((r) => r.id === run.id));
        const jobs = mine.map((run) => ('job' in run ? run.job : undefined));
        mostRunning = Math.max(mostRunning, jobs.filter((job) => job?.state === 'RUNNING').length);
        for (const job of jobs) if (job?.state === 'PENDING' && job.reason) pendingReasons.add(job.reason);
        expect(mine.map((run) => [run.status, 'job' in run ? run.job?.state : undefined])).toEqual(sweep.runs.map(() => ['completed', 'COMPLETED']));
      },
      { timeout: 240_000, interval: 500 },
    );
    expect(mostRunning).toBeLessThanOrEqual(2);
    expect(pendingReasons.size).toBeGreaterThan(0); // the last tasks waited (JobArrayTaskLimit or Resources)

    // Followed by its files: every run's steps, epochs and grids reached the UI as events, each step line within 5 s.
    for (const run of sweep.runs) {
      const steps = events.flatMap((event) => (event.type === 'run-steps' && event.runId === run.id ? event.steps.map((s) => s.step) : []));
      expect(new Set(steps)).toEqual(new Set([1, 2, 3, 4, 5, 6]));
      expect(events.some((event) => event.type === 'run-epoch' && event.runId === run.id && event.metrics.epoch === 2)).toBe(true);
      expect(events.some((event) => event.type === 'run-sample' && event.runId === run.id)).toBe(true);
    }
    expect(Math.max(...lags)).toBeLessThan(5000);

    // The verdict: hinge's arm (2 seeds) against bce's, at the last scored epoch.
    const verdict = await sweepVerdict(join(root, 'runs'), sweep.runs.map((run) => run.id));
    expect(verdict.arms.map((arm) => [arm.name, arm.runs.length])).toEqual([
      ['tiny · bce loss', 2],
      ['tiny · hinge loss', 2],
    ]);
    expect(verdict.verdicts.epoch).toBe(2);
    expect(verdict.verdicts.lines.map((line) => [line.variant.name, line.baseline.name, line.variant.seeds])).toContainEqual(['tiny · hinge loss', 'tiny · bce loss', 2]);
    expect(formatSweepVerdict(verdict)).toMatch(/^verdict at epoch 2 against tiny · bce loss:/);
  }, 300_000);
});
