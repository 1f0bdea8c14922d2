/**
 * One real tiny run through StudioService → RunManager → a Node trainer
 * child process: events arrive as StudioEvents with studio URLs, and the run
 * ends completed with its metrics and grids readable through the API; then
 * that run is exported as a GIF and an evidence pack through the same API.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { StudioEvent } from '../shared/api';
import { resolveTrainingConfig } from '../shared/config';
import { createRunDir, readRunRecord, updateRunRecord } from './runs';
import { acquireRunLock } from './runs/run-lock';
import type { StudioService } from './studio-service';
import { writeSquaresDataset } from './common/test-support';
import { realTrainerStudio } from './studio-service/test-studio';

let root: string;
let service: StudioService;
let runId: string | undefined;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-real-run-'));
  await writeSquaresDataset(join(root, 'datasets', 'squares-test'), 20);
  service = realTrainerStudio(root);
});
afterAll(async () => {
  await service.shutdown();
  await rm(root, { recursive: true, force: true });
});

it('trains a tiny run in a child process and reports it through the API', async () => {
  const events: StudioEvent[] = [];
  service.onEvent((event) => events.push(event));
  const run = await service.createRun({
    name: 'real tiny',
    datasetId: 'squares-test',
    config: { preset: 'tiny', epochs: 2, batchSize: 8, seed: 5, backend: 'cpu', gridRows: 2, gridCols: 2, earlySampleSteps: [1] },
  });
  expect(run.status).toBe('running');
  runId = run.id;
  await vi.waitFor(
    () => expect(events).toContainEqual(expect.objectContaining({ type: 'run-updated', run: expect.objectContaining({ id: run.id, status: 'completed' }) })),
    { timeout: 90_000, interval: 200 },
  );
  await service.runs.whenIdle(run.id);

  const steps = events.flatMap((e) => (e.type === 'run-steps' && e.runId === run.id ? e.steps.map((s) => s.step) : []));
  expect(steps).toEqual([1, 2, 3, 4]);
  expect(events.filter((e) => e.type === 'run-epoch')).toHaveLength(2);
  expect(events).toContainEqual({ type: 'run-sample', runId: run.id, epoch: 2, step: 4, url: `studio://run/${run.id}/samples/epoch-0002.png` });

  const detail = await service.getRun(run.id);
  expect(detail.run).toMatchObject({ name: 'real tiny', status: 'completed', epoch: 2, step: 4, backend: { name: 'cpu' } });
  expect(detail.steps.every((s) => Number.isFinite(s.gen_loss) && Number.isFinite(s.disc_loss))).toBe(true);
  expect(detail.samples.map((s) => [s.epoch, s.step])).toEqual([[1, 1], [1, 2], [2, 4]]);
  expect(detail.run.latestSampleUrl).toBe(`studio://run/${run.id}/samples/epoch-0002.png`);
  // tiny is up to 32×32, so scores are on by default: one record per epoch, each with its sample size.
  expect(detail.scores.map((r) => [r.epoch, r.step])).toEqual([[1, 2], [2, 4]]);
  expect(detail.scores[0]!.scores.kid).toMatchObject({ n: detail.run.config.scoreSampleSize });
});

it('exports the trained run as a GIF and an evidence pack', async () => {
  expect(runId).toBeDefined();
  const id = runId!;
  const gif = await service.exportRun({ runId: id, format: 'gif', exportId: 'real-gif' });
  // Exports are named after the run ("real tiny" → real-tiny.gif).
  expect(gif.files).toEqual([{ name: 'real-tiny.gif', url: `studio://run/${id}/exports/real-tiny.gif` }]);
  const bytes = await readFile(join(root, 'runs', id, 'exports', 'real-tiny.gif'));
  expect(bytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
  const pack = await service.writeEvidence({ runId: id });
  expect(pack.url).toBe(`studio://run/${id}/exports/evidence/index.html`);
  const folder = await readdir(join(root, 'runs', id, 'exports', 'evidence'));
  expect(folder).toEqual(expect.arrayContaining(['index.html', 'progress.gif', 'final-grid.png', 'loss.svg', 'accuracy.svg', 'evidence.json']));
}, 60_000);

it('will not stop or delete a run that a trainer outside the studio (a terminal) is training', async () => {
  const { record, dir } = await createRunDir(join(root, 'runs'), {
    config: resolveTrainingConfig({ preset: 'tiny', epochs: 1, seed: 1 }),
    dataset: { id: 'squares-test', name: 'squares', fingerprint: 'f', dir: join(root, 'datasets', 'squares-test') },
  });
  await updateRunRecord(dir, { status: 'running' });
  const lock = await acquireRunLock(dir);
  try {
    await expect(service.stopRun(record.id)).rejects.toThrow(/being trained by process \d+ outside this studio/);
    await expect(service.deleteRun(record.id)).rejects.toThrow(/outside this studio/);
    expect((await readRunRecord(dir)).status).toBe('running');
  } finally {
    await lock.release();
  }
  await service.deleteRun(record.id); // nobody holds it any more
  await expect(readdir(dir)).rejects.toThrow();
});

it('refuses a batch size larger than the dataset before any run folder exists', async () => {
  const before = await readdir(join(root, 'runs'));
  await expect(service.createRun({ datasetId: 'squares-test', config: { preset: 'tiny', batchSize: 32 } })).rejects.toMatchObject({
    message: expect.stringMatching(/Batch size 32 needs at least that many images, but dataset .* has 20/),
    hint: expect.stringContaining('20 or less'),
  });
  expect(await readdir(join(root, 'runs'))).toEqual(before);
});
