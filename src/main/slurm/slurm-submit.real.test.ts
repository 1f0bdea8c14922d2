/**
 * Submission against a real Slurm cluster, without training: a sweep longer
 * than the cluster's MaxArraySize becomes several arrays, each part starting
 * after the one before (so the throttle still bounds the whole sweep), and
 * cancelled pending jobs leave their runs stopped. Only MaxArraySize is
 * pretended small (the real one is 1001); sbatch, squeue and scancel are real.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../shared/api';
import { readRunRecord } from '../runs';
import type { StudioService } from '../studio-service';
import { SlurmCommands } from './slurm-cli';
import { startSlurmForTests } from './test-cluster';
import { scancel, scontrol, slurmStudio, squaresDataset, tinyConfig } from './test-support';

const cluster = await startSlurmForTests();

class SmallArrays extends SlurmCommands {
  override async maxArraySize(): Promise<number> {
    return 3;
  }
}

describe.skipIf(!cluster.run)('submitting to Slurm', () => {
  let root: string;
  let studio: StudioService;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gan-slurm-submit-'));
    await squaresDataset(root, 'squares-test', 24);
    studio = slurmStudio(root, { commands: new SmallArrays() });
  });
  afterAll(async () => {
    await studio.shutdown();
    await rm(root, { recursive: true, force: true });
  });

  it('splits a sweep past MaxArraySize into chained arrays; cancelled while pending, its runs are stopped', async () => {
    const sweep = await studio.createSweep({
      datasetId: 'squares-test',
      config: tinyConfig(51, 1),
      vary: [],
      seeds: 5,
      executor: { kind: 'slurm', slurm: { time: '5', extraArgs: ['--begin=now+1hour'] } },
      throttle: 2,
    });
    const ids = await Promise.all(sweep.runs.map(async (run) => (await readRunRecord(join(root, 'runs', run.id))).slurm!.jobId!));
    const [first, second] = [ids[0]!.split('_')[0]!, ids[3]!.split('_')[0]!];
    expect(second).not.toBe(first);
    expect(ids).toEqual([`${first}_0`, `${first}_1`, `${first}_2`, `${second}_0`, `${second}_1`]);
    expect(await scontrol('show', 'job', second)).toMatch(new RegExp(`Dependency=afterany:${first}`));
    expect(await scontrol('show', 'job', first)).toMatch(/ArrayTaskThrottle=2/);
    await vi.waitFor(async () => {
      const mine = (await studio.listRuns()).filter((run) => sweep.runs.some((r) => r.id === run.id)) as RunSummary[];
      expect(mine.map((run) => [run.status, run.job?.state])).toEqual(sweep.runs.map(() => ['queued', 'PENDING']));
    });

    await scancel(first, second);
    await vi.waitFor(
      async () => {
        const mine = (await studio.listRuns()).filter((run) => sweep.runs.some((r) => r.id === run.id)) as RunSummary[];
        expect(mine.map((run) => [run.status, run.job?.state])).toEqual(sweep.runs.map(() => ['stopped', 'CANCELLED']));
      },
      { timeout: 30_000, interval: 250 },
    );
  });

  it('repeats a Slurm run on Slurm: its new seeds as one array, with its job settings', async () => {
    const slurm = { time: '5', extraArgs: ['--begin=now+1hour'] };
    const source = await studio.createRun({ name: 'source', datasetId: 'squares-test', config: tinyConfig(61, 1), executor: { kind: 'slurm', slurm } });
    const repeats = await studio.repeatRun(source.id, 2);
    expect(repeats.map((run) => run.name)).toEqual(['source · seed 62', 'source · seed 63']);
    const records = await Promise.all(repeats.map((run) => readRunRecord(join(root, 'runs', run.id))));
    const array = records[0]!.slurm!.jobId!.split('_')[0]!;
    expect(records.map((record) => [record.slurm?.jobId, record.slurm?.settings])).toEqual([
      [`${array}_0`, slurm],
      [`${array}_1`, slurm],
    ]);
    await scancel(array, (await readRunRecord(join(root, 'runs', source.id))).slurm!.jobId!);
  });
});
