/**
 * Durable on a real Slurm cluster: a studio closed mid-sweep leaves its jobs
 * running, and the next studio picks them up from run.json (states, live
 * files, endings); a studio that died between sbatch and recording the job id
 * never makes a run train twice — the next one finds the job by its name.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunSummary, StudioEvent } from '../../shared/api';
import { readRunRecord } from '../runs';
import type { StudioService } from '../studio-service';
import type { ExitRecord } from './job-end';
import { SlurmCommands } from './slurm-cli';
import { SUBMISSIONS_FOLDER, type SubmissionRecord } from './submit';
import { startSlurmForTests } from './test-cluster';
import { scancel, slurmStudio, squaresDataset, tinyConfig } from './test-support';

const cluster = await startSlurmForTests();

/** sbatch that goes through, then a studio that never hears back (it died right after Slurm took the job). */
class DyingAfterSbatch extends SlurmCommands {
  submitted: string[] = [];
  override async sbatch(script: string, args: string[] = []): Promise<string> {
    this.submitted.push(await super.sbatch(script, args));
    return new Promise<string>(() => undefined);
  }
}

describe.skipIf(!cluster.run)('a studio restarted while its Slurm jobs run', () => {
  let root: string;
  const studios: StudioService[] = [];
  /** Jobs a test submitted outside a studio's care (left held if it fails midway). */
  const orphans: string[] = [];
  const runDir = (run: { id: string }) => join(root, 'runs', run.id);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gan-slurm-restart-'));
    await squaresDataset(root, 'squares-test', 24);
  });
  afterAll(async () => {
    for (const studio of studios) await studio.shutdown();
    if (orphans.length > 0) await scancel(...orphans).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  });

  it('picks up a sweep closed mid-way: states, live files and endings come from the jobs it left', async () => {
    const first = slurmStudio(root);
    studios.push(first);
    const sweep = await first.createSweep({
      datasetId: 'squares-test',
      config: tinyConfig(31, 3, { scoreEvery: 0 }),
      vary: [],
      seeds: 3,
      executor: { kind: 'slurm', slurm: { time: '10' } },
      throttle: 1,
    });
    await vi.waitFor(async () => expect((await first.listRuns()).some((run) => 'job' in run && run.job?.state === 'RUNNING')).toBe(true), { timeout: 60_000, interval: 250 });
    await first.shutdown();

    const second = slurmStudio(root);
    studios.push(second);
    const events: StudioEvent[] = [];
    second.onEvent((event) => events.push(event));
    await vi.waitFor(
      async () => {
        const mine = (await second.listRuns()).filter((run) => sweep.runs.some((r) => r.id === run.id)) as RunSummary[];
        expect(mine.map((run) => [run.status, run.job?.state])).toEqual(sweep.runs.map(() => ['completed', 'COMPLETED']));
      },
      { timeout: 180_000, interval: 500 },
    );
    // The last run started after the restart: the new studio followed it live.
    const last = sweep.runs.at(-1)!;
    expect(events.some((event) => event.type === 'run-epoch' && event.runId === last.id)).toBe(true);
  }, 300_000);

  it('a studio that died between sbatch and the record: the next one adopts the job by its name, never submitting again', async () => {
    const dying = new DyingAfterSbatch();
    const doomed = slurmStudio(root, { commands: dying });
    studios.push(doomed);
    const created = doomed.createSweep({ datasetId: 'squares-test', config: tinyConfig(41, 1, { scoreEvery: 0 }), vary: [], seeds: 2, executor: { kind: 'slurm', slurm: { time: '10' } } });
    void created.catch(() => undefined);
    await vi.waitFor(() => expect(dying.submitted).toHaveLength(1), { timeout: 30_000, interval: 100 });
    orphans.push(...dying.submitted);
    doomed.executors.slurm.dispose();
    // What it left: the intent on disk, and a held job Slurm holds under that name.
    const folder = join(root, 'runs', SUBMISSIONS_FOLDER);
    const submissions = await Promise.all((await readdir(folder)).map(async (name) => JSON.parse(await readFile(join(folder, name, 'submission.json'), 'utf8')) as SubmissionRecord));
    const unfinished = submissions.filter((submission) => submission.phase !== 'released');
    expect(unfinished.map((submission) => submission.phase)).toEqual(['intent']);
    const record = unfinished[0]!;

    const next = slurmStudio(root, { recoverAfterMs: 0 });
    studios.push(next);
    await vi.waitFor(
      async () => {
        const runs = await Promise.all(record.runIds.map((id) => readRunRecord(runDir({ id }))));
        expect(runs.map((run) => [run.status, run.slurm?.ended?.state])).toEqual([
          ['completed', 'COMPLETED'],
          ['completed', 'COMPLETED'],
        ]);
      },
      { timeout: 180_000, interval: 500 },
    );
    const runs = await Promise.all(record.runIds.map((id) => readRunRecord(runDir({ id }))));
    expect(runs.map((run) => run.slurm?.jobId)).toEqual([`${dying.submitted[0]}_0`, `${dying.submitted[0]}_1`]);
    // Each run trained once: one attempt each, in the one array.
    for (const run of runs) {
      const exits = (await readFile(join(runDir(run), 'slurm', 'exits.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as ExitRecord);
      expect(exits.map((exit) => [exit.job, exit.exitCode])).toEqual([[run.slurm!.jobId, 0]]);
    }
  }, 300_000);
});
