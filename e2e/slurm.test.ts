/**
 * Slurm in the browser against `serve`, on the real single-node cluster
 * (.ci/start-slurm.sh): the Sweep form submits a 2-run sweep as one job array
 * and the Runs view shows each job's state through to completed; a Slurm
 * run's live page follows its files (a metric line the job writes shows
 * within 5 s) and shows its job; Stop checkpoints and cancels it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlurmForTests } from '../src/main/slurm/test-cluster';
import { hasChromium, openWatchedPage } from './browser';
import { makePngZip } from './fixtures';
import { startStudioServer, type StudioServerFixture } from './studio-server';

const cluster = await startSlurmForTests();

describe.skipIf(!hasChromium() || !cluster.run)('Slurm in Chromium against serve', () => {
  let studio: StudioServerFixture;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let datasetId: string;

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-slurm-');
    datasetId = (await studio.server.service.importDataset(await makePngZip(studio.work, 16), { channels: 1 })).manifest.id;
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 1000 } }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('the Sweep form submits one array to Slurm; the Runs view follows each job to completed', async () => {
    await page.goto(`${studio.server.url}#/new`);
    await page.getByRole('radio', { name: /Tiny/ }).check({ force: true });
    await page.getByLabel('Dataset', { exact: true }).selectOption(datasetId);
    await page.getByLabel('Epochs', { exact: true }).fill('1');
    await page.getByLabel('Batch size', { exact: true }).fill('8');
    await page.getByLabel('Run name', { exact: true }).fill('swept');
    await page.getByRole('radio', { name: /Slurm cluster/ }).check();
    await page.getByLabel('Time limit', { exact: true }).fill('10');
    await page.getByRole('checkbox', { name: /Sweep/ }).check();
    await page.getByLabel('Values 1', { exact: true }).fill('bce, hinge');
    await page.getByLabel('Seeds per combination', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Start sweep (2 runs)' }).click();
    await page.waitForURL(/#\/runs$/);

    const rows = page.locator('li', { hasText: 'swept · ' });
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => page.getByTestId('run-job').allTextContents(), { timeout: 30_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/^· Slurm job \d+_1 /)]));
    await expect
      .poll(() => page.getByTestId('run-job').allTextContents(), { timeout: 180_000, interval: 1000 })
      .toEqual([expect.stringMatching(/^· Slurm job \d+_[01] completed/), expect.stringMatching(/^· Slurm job \d+_[01] completed/)]);
    expect(errors).toEqual([]);
  }, 300_000);

  it("a Slurm run's page follows its files within 5 s, shows its job, and Stop checkpoints and cancels it", async () => {
    const run = await studio.server.service.createRun({
      name: 'followed',
      datasetId,
      // 16 images at batch 8: 2 steps an epoch. 3,000 epochs outlast the test on any machine; Stop ends the run, not its length.
      config: { preset: 'tiny', epochs: 3000, batchSize: 8, seed: 4, scoreEvery: 0, earlySampleSteps: [] },
      executor: { kind: 'slurm', slurm: { time: '10' } },
    });
    await page.goto(`${studio.server.url}#/runs/${run.id}`);
    await expect.poll(() => page.getByTestId('job-state').textContent(), { timeout: 60_000 }).toBe('RUNNING');
    expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(0);
    // Whatever the job has written, the open page shows within 5 s.
    const metrics = join(studio.work, 'runs', run.id, 'metrics.jsonl');
    const lines = async () => (await readFile(metrics, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
    await expect.poll(lines, { timeout: 60_000 }).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      const written = await lines();
      await expect.poll(async () => Number((await page.getByTestId('step').textContent())?.replace(/,/g, '')), { timeout: 5000, interval: 100 }).toBeGreaterThanOrEqual(written);
    }
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 90_000 }).toBe('stopped');
    await expect.poll(() => page.getByTestId('job-state').textContent(), { timeout: 30_000 }).toBe('CANCELLED');
    await expect.poll(() => page.getByRole('button', { name: 'Resume' }).count()).toBe(1);
    expect(errors).toEqual([]);
  }, 300_000);
});
