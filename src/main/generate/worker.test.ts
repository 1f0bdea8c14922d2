/**
 * A generate job in its own process (generate-entry.ts under tsx): the
 * outcome comes back, an error keeps its class and hint, cancel kills it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportCancelledError, ExportInputError } from '../export/errors';
import { trainTinyRun } from './test-support';
import { generateInChild } from './worker';

let root: string;
let runDir: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'generate-worker-'));
  runDir = join(root, 'run');
  await trainTinyRun(runDir, { epochs: 1 });
}, 120_000);
afterAll(() => rm(root, { recursive: true, force: true }));

describe('generateInChild', () => {
  it('generates in a child process and returns the outcome', async () => {
    const out = join(root, 'grid.png');
    const outcome = await generateInChild({ runDir, spec: { kind: 'grid', seed: 3, count: 4 }, out });
    expect(outcome).toMatchObject({ ema: false, checkpoint: { step: 2, epoch: 1 }, files: [out] });
    expect(existsSync(out)).toBe(true);
  }, 60_000);

  it('rejects with the error class and hint the child threw', async () => {
    const failure = generateInChild({ runDir, generator: { epoch: 4 }, spec: { kind: 'grid', seed: 3, count: 4 }, out: join(root, 'x.png') });
    await expect(failure).rejects.toBeInstanceOf(ExportInputError);
    await expect(failure).rejects.toMatchObject({ message: expect.stringMatching(/no checkpoint for epoch 4/), hint: expect.stringMatching(/leave --epoch out/) });
  }, 60_000);

  it('kills the child on cancel and leaves no file', async () => {
    const controller = new AbortController();
    const out = join(root, 'cancelled.gif');
    const job = generateInChild({ runDir, spec: { kind: 'interpolation', seed: 1, from: 0, to: 1, frames: 60, format: 'gif' }, out }, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(job).rejects.toBeInstanceOf(ExportCancelledError);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
