/**
 * The run queue with real trainer processes (tiny preset): beyond the
 * concurrency limit runs wait as queued, start one after another in the
 * order they were asked for, and a queue left by a studio that closed is
 * taken up by the next one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { RunSummary, StudioEvent } from '../../shared/api';
import { readRunRecord } from '../runs';
import type { StudioService } from '../studio-service';
import { writeSquaresDataset } from '../common/test-support';
import { realTrainerStudio } from './test-studio';

let root: string;
const services: StudioService[] = [];

function newService(): StudioService {
  const service = realTrainerStudio(root, { maxConcurrentRuns: 1 });
  services.push(service);
  return service;
}

const config = (seed: number) => ({ preset: 'tiny' as const, epochs: 1, batchSize: 8, seed, backend: 'cpu' as const, gridRows: 2, gridCols: 2 });
const status = async (runId: string): Promise<string> => (await readRunRecord(join(root, 'runs', runId))).status;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-run-queue-'));
  await writeSquaresDataset(join(root, 'datasets', 'squares-test'), 20);
});
afterAll(async () => {
  for (const service of services) await service.shutdown();
  await rm(root, { recursive: true, force: true });
});

it('trains one run at a time with a limit of one, the others queued and started in order', async () => {
  const service = newService();
  const events: StudioEvent[] = [];
  service.onEvent((event) => events.push(event));
  const runs: RunSummary[] = [];
  for (const seed of [1, 2, 3]) runs.push(await service.createRun({ name: `queued ${seed}`, datasetId: 'squares-test', config: config(seed) }));
  expect(runs.map((run) => run.status)).toEqual(['running', 'queued', 'queued']);
  expect((await service.listRuns()).filter((run) => run.status === 'queued')).toHaveLength(2);

  await vi.waitFor(async () => expect(await Promise.all(runs.map((run) => status(run.id)))).toEqual(['completed', 'completed', 'completed']), {
    timeout: 120_000,
    interval: 250,
  });
  // The trainers never overlapped: each run's steps all came before the next run's first.
  const order = events.flatMap((e) => (e.type === 'run-steps' ? e.steps.map(() => e.runId) : []));
  expect(order.filter((id, i) => id !== order[i - 1])).toEqual(runs.map((run) => run.id));
  expect((await readRunRecord(join(root, 'runs', runs[2]!.id))).queued).toBeUndefined();
}, 150_000);

it('keeps the queue in run.json across a restart, where the next studio takes it up', async () => {
  const first = newService();
  const running = await first.createRun({ name: 'interrupted', datasetId: 'squares-test', config: { ...config(4), epochs: 50 } });
  const waiting = await first.createRun({ name: 'waiting', datasetId: 'squares-test', config: config(5) });
  const stopped = await first.createRun({ name: 'taken out', datasetId: 'squares-test', config: config(6) });
  expect([running.status, waiting.status, stopped.status]).toEqual(['running', 'queued', 'queued']);
  await first.stopRun(stopped.id);
  expect(await status(stopped.id)).toBe('stopped');
  // The studio closes: its trainer checkpoints and stops; the queued run stays queued on disk.
  await first.shutdown();
  expect(await status(waiting.id)).toBe('queued');

  const second = newService();
  await vi.waitFor(async () => expect(await status(waiting.id)).toBe('completed'), { timeout: 90_000, interval: 250 });
  expect(await status(running.id)).toBe('stopped');
  expect(await status(stopped.id)).toBe('stopped');
  await second.shutdown();
}, 150_000);
