/**
 * The studio's Generate calls on a real tiny run: checkpoints listed, files
 * written under generated/ and returned as run-file URLs, bad choices refused
 * before any process starts.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATE_LIMITS } from '../../shared/generate';
import { ExportCancelledError } from '../export/errors';
import { runGenerateJob, type GenerateJob } from '../generate/generate';
import { GenerateWorker, startGenerateChild } from '../generate/worker';
import { trainTinyRun } from '../generate/test-support';
import { GenerateJobs } from './generate';

let runsRoot: string;
const jobs: GenerateJob[] = [];
let service: GenerateJobs;

beforeAll(async () => {
  runsRoot = await mkdtemp(join(tmpdir(), 'studio-generate-'));
  await trainTinyRun(join(runsRoot, 'run-1'), { epochs: 2 });
  // In-process runner: the real engine; generate/worker.test.ts covers the child process.
  service = new GenerateJobs({
    runsRoot,
    urlForRunFile: (runId, rel) => `/files/run/${runId}/${rel}`,
    runner: {
      run: (job) => {
        jobs.push(job);
        return runGenerateJob(job);
      },
      close: () => undefined,
    },
  });
}, 120_000);
afterAll(() => rm(runsRoot, { recursive: true, force: true }));

async function until(check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('GenerateJobs', () => {
  it('lists the saved checkpoints', async () => {
    expect(await service.listCheckpoints('run-1')).toEqual([
      { step: 2, epoch: 1, stepInEpoch: 0, hasEma: false },
      { step: 4, epoch: 2, stepInEpoch: 0, hasEma: false },
    ]);
  });

  it('writes grids, images and interpolations under generated/ and returns their URLs', async () => {
    const grid = await service.generate({ runId: 'run-1', spec: { kind: 'grid', seed: 8, count: 9 } });
    expect(grid).toEqual({
      checkpoint: { step: 4, epoch: 2, stepInEpoch: 0, hasEma: false },
      ema: false,
      files: [{ name: 'grid-step-4-seed-8-n9.png', url: '/files/run/run-1/generated/grid-step-4-seed-8-n9.png' }],
    });
    expect(existsSync(join(runsRoot, 'run-1', 'generated', 'grid-step-4-seed-8-n9.png'))).toBe(true);

    const images = await service.generate({ runId: 'run-1', generator: { step: 2 }, spec: { kind: 'images', seed: 8, count: 2 } });
    expect(images.files.map((file) => file.url)).toEqual([
      '/files/run/run-1/generated/step-2-seed-8-n2/seed-8-000.png',
      '/files/run/run-1/generated/step-2-seed-8-n2/seed-8-001.png',
    ]);
    const walk = await service.generate({ runId: 'run-1', spec: { kind: 'interpolation', seed: 8, from: 0, to: 3, frames: 5, format: 'png' } });
    expect(walk.files[0]!.name).toBe('interpolation-step-4-seed-8-0-to-3-5f.png');
  });

  it('cancels a job by its id in a real generate process, keeping none of its images', async () => {
    const worker = new GenerateWorker(startGenerateChild);
    const real = new GenerateJobs({ runsRoot, urlForRunFile: (runId, rel) => `/files/run/${runId}/${rel}`, runner: worker });
    try {
      const out = join(runsRoot, 'run-1', 'generated', `step-4-seed-5-n${GENERATE_LIMITS.maxImages}`);
      const job = real.generate({ runId: 'run-1', jobId: 'cancel-me', spec: { kind: 'images', seed: 5, count: GENERATE_LIMITS.maxImages } });
      // Cancel once the process has written some of the images.
      await until(async () => (await readdir(out).catch(() => [])).length > 0);
      expect(real.cancel('cancel-me')).toBe(true);
      await expect(job).rejects.toBeInstanceOf(ExportCancelledError);
      expect(existsSync(out)).toBe(false);
      expect((await readdir(join(runsRoot, 'run-1', 'generated'))).filter((name) => name.includes('.partial-'))).toEqual([]);
      expect(real.cancel('cancel-me')).toBe(false);
    } finally {
      real.close();
    }
  }, 120_000);

  it('refuses an unknown run, a missing checkpoint or EMA generator before starting a job', async () => {
    const before = jobs.length;
    await expect(service.generate({ runId: 'nope', spec: { kind: 'grid', seed: 1, count: 1 } })).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(service.generate({ runId: 'run-1', generator: { step: 3 }, spec: { kind: 'grid', seed: 1, count: 1 } })).rejects.toThrow(/no checkpoint at step 3/);
    await expect(service.generate({ runId: 'run-1', generator: { ema: true }, spec: { kind: 'grid', seed: 1, count: 1 } })).rejects.toThrow(/no EMA generator/);
    expect(jobs.length).toBe(before);
  });
});
