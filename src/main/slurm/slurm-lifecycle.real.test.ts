/**
 * A Slurm run's life as the studio shows it, on a real cluster: Stop
 * (checkpoint signal, then cancel) and an outside `scancel` both end it
 * cancelled and resumable, and Resume submits it again; a job that fails at
 * start (its dataset is not on the node) is FAILED with the log's last lines.
 */
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../shared/api';
import { readRunMetrics, readRunRecord } from '../runs';
import type { StudioService } from '../studio-service';
import { startSlurmForTests } from './test-cluster';
import { scancel, slurmStudio, squaresDataset, tinyConfig } from './test-support';

const cluster = await startSlurmForTests();

describe.skipIf(!cluster.run)('a Slurm run stopped, cancelled, resumed or failing', () => {
  let root: string;
  let studio: StudioService;
  const runDir = (run: RunSummary) => join(root, 'runs', run.id);
  const summary = async (run: RunSummary) => (await studio.listRuns()).find((r) => r.id === run.id) as RunSummary;
  const slurm = { time: '10' };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gan-slurm-life-'));
    await squaresDataset(root, 'squares-test', 24);
    studio = slurmStudio(root);
  });
  afterAll(async () => {
    await studio.shutdown();
    await rm(root, { recursive: true, force: true });
  });

  async function trainedSteps(run: RunSummary, count: number): Promise<void> {
    await vi.waitFor(async () => expect((await readRunMetrics(runDir(run))).steps.length).toBeGreaterThanOrEqual(count), { timeout: 120_000, interval: 250 });
  }

  async function ended(run: RunSummary, status: string, state: string): Promise<RunSummary> {
    await vi.waitFor(async () => expect([(await summary(run)).status, (await summary(run)).job?.state]).toEqual([status, state]), { timeout: 120_000, interval: 250 });
    return summary(run);
  }

  it('Stop: the running job checkpoints and ends cancelled; the run is stopped and Resume finishes it, every step once', async () => {
    const run = await studio.createRun({ name: 'stopped', datasetId: 'squares-test', config: tinyConfig(21, 12, { scoreEvery: 0 }), executor: { kind: 'slurm', slurm } });
    await expect(studio.pauseRun(run.id)).rejects.toThrow(/trains on Slurm/);
    await trainedSteps(run, 6);
    await studio.stopRun(run.id);
    const stopped = await ended(run, 'stopped', 'CANCELLED');
    const at = (await readRunRecord(runDir(run))).step;
    expect(at).toBeGreaterThanOrEqual(6);
    expect(await readFile(join(runDir(run), 'slurm', 'stdout.log'), 'utf8')).toMatch(/SIGTERM received[\s\S]*checkpoint saved/);
    expect(stopped.job?.jobId).toBe((await readRunRecord(runDir(run))).slurm?.jobId);

    await studio.resumeRun(run.id);
    const resubmitted = (await readRunRecord(runDir(run))).slurm!;
    expect(resubmitted.jobId).not.toBe(stopped.job?.jobId);
    await ended(run, 'completed', 'COMPLETED');
    expect((await readRunMetrics(runDir(run))).steps.map((s) => s.step)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    expect(await readFile(join(runDir(run), 'slurm', 'stdout.log'), 'utf8')).toMatch(new RegExp(`resumed at epoch \\d+, step ${at}`));
  }, 300_000);

  it('scancel from outside the studio: shown cancelled, the run stopped and resumable', async () => {
    const run = await studio.createRun({ name: 'scancelled', datasetId: 'squares-test', config: tinyConfig(22, 30, { scoreEvery: 0 }), executor: { kind: 'slurm', slurm } });
    await trainedSteps(run, 3);
    await scancel((await readRunRecord(runDir(run))).slurm!.jobId!);
    await ended(run, 'stopped', 'CANCELLED');
    // Resumable: Resume submits it again (and Stop takes the pending job back out).
    await studio.resumeRun(run.id);
    expect((await summary(run)).status).toBe('queued');
    await studio.stopRun(run.id);
    await ended(run, 'stopped', 'CANCELLED');
  }, 300_000);

  it('a job failing at start (its dataset is not on the node) is FAILED with its exit code and log lines', async () => {
    const datasetDir = await squaresDataset(root, 'squares-gone', 24);
    const run = await studio.createRun({
      name: 'no dataset',
      datasetId: 'squares-gone',
      config: tinyConfig(23, 2),
      executor: { kind: 'slurm', slurm: { ...slurm, extraArgs: ['--begin=now+10'] } },
    });
    await vi.waitFor(async () => expect((await summary(run)).job?.reason).toBe('BeginTime'), { timeout: 10_000, interval: 100 });
    // Gone before the job starts: the node cannot read it.
    await rename(datasetDir, `${datasetDir}-moved`);
    const failed = await ended(run, 'failed', 'FAILED');
    expect(failed.job?.exitCode).toBe(2);
    expect(failed.failure?.kind).toBe('bad-input');
    const detail = await studio.getRun(run.id);
    expect(detail.jobFiles?.stderrTail.join('\n')).toMatch(/training failed \(bad-input\)/);
    expect(detail.jobFiles?.scriptUrl).toBe(`studio://run/${run.id}/slurm/job.sh`);
  }, 300_000);

  it('a setting Slurm refuses is an error with sbatch\'s own words, and the run says so', async () => {
    await expect(
      studio.createRun({ name: 'refused', datasetId: 'squares-test', config: tinyConfig(24, 1), executor: { kind: 'slurm', slurm: { partition: 'no-such-partition' } } }),
    ).rejects.toThrow(/Slurm refused the job: sbatch: error: .*partition/i);
    const refused = (await studio.listRuns()).find((run) => run.name === 'refused') as RunSummary;
    expect(refused.status).toBe('failed');
    expect(refused.failure?.message).toMatch(/invalid partition/i);
  });
});
