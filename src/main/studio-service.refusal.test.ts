/**
 * Resumes the trainer refuses, through StudioService → RunManager → real
 * trainer processes (tiny preset, cpu): the run keeps its status — a stopped
 * run stays stopped, a crashed one crashed, queued first or not — with the
 * trainer's reason noted beside it in run.json (so the run page shows it
 * after a reload too), and the next resume the trainer accepts clears it.
 */
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { StudioEvent } from '../shared/api';
import type { RunStatus } from '../shared/run';
import { readRunRecord } from './runs';
import { RUN_LOCK_FILE } from './runs/run-lock';
import type { StudioService } from './studio-service';
import { writeSquaresDataset } from './common/test-support';
import { realTrainerStudio } from './studio-service/test-studio';

let root: string;
let datasetDir: string;
let service: StudioService;
const events: StudioEvent[] = [];
const WAIT = { timeout: 90_000, interval: 200 };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-refusal-'));
  // 20 images, batch 8: 2 steps an epoch, a checkpoint after each.
  datasetDir = await writeSquaresDataset(join(root, 'datasets', 'squares-test'), 20);
  service = realTrainerStudio(root, { maxConcurrentRuns: 1 });
  service.onEvent((event) => events.push(event));
});
afterAll(async () => {
  await service.shutdown();
  await rm(root, { recursive: true, force: true });
});

const runDir = (runId: string): string => join(root, 'runs', runId);
const record = (runId: string) => readRunRecord(runDir(runId));
/** Every status the UI was told for the run. */
const statusesShown = (runId: string): RunStatus[] => events.flatMap((e) => (e.type === 'run-updated' && e.run.id === runId ? [e.run.status] : []));

/** A run of many epochs, once its first epoch (and checkpoint) is done. */
async function trainingRun(name: string, seed: number): Promise<string> {
  const run = await service.createRun({
    name,
    datasetId: 'squares-test',
    config: { preset: 'tiny', epochs: 200, batchSize: 8, seed, backend: 'cpu', gridRows: 2, gridCols: 2, earlySampleSteps: [], scoreEvery: 0 },
  });
  await vi.waitFor(() => expect(events).toContainEqual(expect.objectContaining({ type: 'run-epoch', runId: run.id })), WAIT);
  return run.id;
}

async function stoppedRun(name: string, seed: number): Promise<string> {
  const runId = await trainingRun(name, seed);
  await service.stopRun(runId);
  await service.runs.whenIdle(runId);
  expect((await record(runId)).status).toBe('stopped');
  return runId;
}

/** A run whose trainer was killed outright (as by the OOM killer): the RunManager marks it crashed. */
async function crashedRun(name: string, seed: number): Promise<string> {
  const runId = await trainingRun(name, seed);
  const { pid } = JSON.parse(await readFile(join(runDir(runId), RUN_LOCK_FILE), 'utf8')) as { pid: number };
  process.kill(pid, 'SIGKILL');
  await service.runs.whenIdle(runId);
  expect((await record(runId)).status).toBe('crashed');
  return runId;
}

/** Really damaged: every checkpoint's generator/model.json gone. */
async function damageEveryCheckpoint(runId: string): Promise<void> {
  const checkpoints = join(runDir(runId), 'checkpoints');
  for (const name of await readdir(checkpoints)) await rm(join(checkpoints, name, 'generator', 'model.json'));
}

it('keeps a stopped run stopped when every checkpoint is damaged, notes why, and the next accepted resume clears the note', async () => {
  const runId = await stoppedRun('damaged checkpoints', 1);
  const checkpoints = join(runDir(runId), 'checkpoints');
  await cp(checkpoints, join(root, 'intact-checkpoints'), { recursive: true });
  await damageEveryCheckpoint(runId);
  const before = await record(runId);
  const shownBefore = statusesShown(runId).length;

  await service.resumeRun(runId);
  await service.runs.whenIdle(runId);
  const after = await record(runId);
  expect(after).toEqual({
    ...before,
    updatedAt: after.updatedAt,
    resumeRefused: {
      message: expect.stringMatching(/^Every checkpoint of .* is damaged: .*generator\/model\.json is missing.* Nothing in the run was changed/),
      at: expect.any(String),
    },
  });
  expect(after.resumeRefused?.message).not.toMatch(/delete/i);
  // Shown training while the trainer looked, then stopped again — never failed.
  await vi.waitFor(() => expect(statusesShown(runId).at(-1)).toBe('stopped'));
  expect(statusesShown(runId).slice(shownBefore)).not.toContain('failed');
  // The run page loads it (a reload reads run.json).
  expect((await service.getRun(runId)).run).toMatchObject({ status: 'stopped', resumeRefused: after.resumeRefused });

  // Restored, the checkpoints resume: the trainer's start record clears the note.
  await rm(checkpoints, { recursive: true });
  await cp(join(root, 'intact-checkpoints'), checkpoints, { recursive: true });
  await service.resumeRun(runId);
  await vi.waitFor(async () => expect((await record(runId)).status).toBe('running'), WAIT);
  expect((await record(runId)).resumeRefused).toBeUndefined();
  await service.stopRun(runId);
  await service.runs.whenIdle(runId);
  expect(await record(runId)).toMatchObject({ status: 'stopped' });
  expect((await record(runId)).resumeRefused).toBeUndefined();
}, 180_000);

it('keeps a crashed run crashed, its crash reason included, when its dataset no longer matches', async () => {
  const runId = await crashedRun('crashed', 2);
  const before = await record(runId);
  const shownBefore = statusesShown(runId).length;
  // The same folder now holds other images (another import in its place): another fingerprint.
  await writeSquaresDataset(datasetDir, 24);
  try {
    await service.resumeRun(runId);
    await service.runs.whenIdle(runId);
  } finally {
    await writeSquaresDataset(datasetDir, 20);
  }
  const after = await record(runId);
  expect(after).toEqual({
    ...before,
    updatedAt: after.updatedAt,
    resumeRefused: {
      message: expect.stringMatching(/trained on dataset "squares" \(fingerprint squares-20-16\), got "squares" \(fingerprint squares-24-16\)\. Resume it with the same dataset\./),
      at: expect.any(String),
    },
  });
  expect(after.failure?.message).toMatch(/exited unexpectedly \(signal SIGKILL\)/);
  await vi.waitFor(() => expect(statusesShown(runId).at(-1)).toBe('crashed'));
  expect(statusesShown(runId).slice(shownBefore)).not.toContain('failed');
}, 180_000);

it('sends a queued resume that its trainer refuses back to stopped, not failed or queued', async () => {
  const waiting = await stoppedRun('queued, then refused', 3);
  await damageEveryCheckpoint(waiting);
  const busy = await trainingRun('holds the only slot', 4);
  await service.resumeRun(waiting);
  expect(await record(waiting)).toMatchObject({ status: 'queued', queued: { resume: true, from: 'stopped' } });

  // The slot frees: the waiting run's trainer starts and refuses.
  await service.stopRun(busy);
  await service.runs.whenIdle(busy);
  await service.runs.whenIdle(waiting);
  const after = await record(waiting);
  expect(after).toMatchObject({ status: 'stopped', resumeRefused: { message: expect.stringMatching(/^Every checkpoint of .* is damaged/) } });
  expect([after.queued, after.failure]).toEqual([undefined, undefined]);
  await vi.waitFor(() => expect(statusesShown(waiting).at(-1)).toBe('stopped'));
  expect(statusesShown(waiting)).not.toContain('failed');
}, 180_000);
