/**
 * Generate jobs in a kept-warm child process (generate-entry.ts under tsx):
 * outcomes come back, an error keeps its class and hint, one process serves
 * job after job, cancel kills it (the next job starts another), and an idle
 * one is closed.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportCancelledError, ExportInputError } from '../export/errors';
import type { GenerateJob } from './generate';
import { trainTinyRun } from './test-support';
import { GenerateWorker, startGenerateChild } from './worker';

let root: string;
let runDir: string;
let starts = 0;
const worker = new GenerateWorker(() => {
  starts += 1;
  return startGenerateChild();
}, 1_500);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'generate-worker-'));
  runDir = join(root, 'run');
  await trainTinyRun(runDir, { epochs: 1 });
}, 120_000);
afterAll(async () => {
  worker.close();
  await rm(root, { recursive: true, force: true });
});

const grid = (name: string, extra: Partial<GenerateJob> = {}): GenerateJob => ({ runDir, spec: { kind: 'grid', seed: 3, count: 4 }, out: join(root, name), ...extra });

describe('GenerateWorker', () => {
  it('runs job after job in one child process, errors keeping their class and hint', async () => {
    const outcome = await worker.run(grid('a.png'));
    expect(outcome).toMatchObject({ ema: false, checkpoint: { step: 2, epoch: 1 }, files: [join(root, 'a.png')] });
    expect(existsSync(join(root, 'a.png'))).toBe(true);

    const failure = worker.run(grid('x.png', { generator: { epoch: 4 } }));
    await expect(failure).rejects.toBeInstanceOf(ExportInputError);
    await expect(failure).rejects.toMatchObject({ message: expect.stringMatching(/no checkpoint for epoch 4/), hint: expect.stringMatching(/leave --epoch out/) });

    await worker.run(grid('b.png'));
    expect(starts).toBe(1);
  }, 60_000);

  it('kills the process on cancel, leaving no file; the next job starts a new one', async () => {
    const controller = new AbortController();
    const out = join(root, 'cancelled.gif');
    const job = worker.run({ runDir, spec: { kind: 'interpolation', seed: 1, from: 0, to: 1, frames: 60, format: 'gif' }, out }, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(job).rejects.toBeInstanceOf(ExportCancelledError);
    expect(existsSync(out)).toBe(false);
    await worker.run(grid('c.png'));
    expect(starts).toBe(2);
  }, 60_000);

  it('closes an idle process and starts a new one for the next job', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await worker.run(grid('d.png'));
    expect(starts).toBe(3);
  }, 60_000);
});
