/**
 * The run queue in Chromium against `serve` (one run at a time): a second
 * run started while the first trains shows as queued in the Runs view and in
 * its live view, and Stop takes it out of the queue.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, openWatchedPage } from './browser';
import { makePngZip } from './fixtures';
import { startStudioServer, type StudioServerFixture } from './studio-server';

describe.skipIf(!hasChromium())('the run queue in Chromium against serve', () => {
  let studio: StudioServerFixture;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let ids: string[];

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-queue-', { maxConcurrentRuns: 1 });
    const { service } = studio.server;
    const dataset = await service.importDataset(await makePngZip(studio.work, 16), { channels: 1 });
    // 16 images at batch 8: 2 steps an epoch. 3,000 epochs keep the first run training for the whole test on any machine.
    const config = { preset: 'tiny' as const, epochs: 3000, batchSize: 8, seed: 2 };
    const first = await service.createRun({ name: 'training now', datasetId: dataset.manifest.id, config });
    const second = await service.createRun({ name: 'waiting its turn', datasetId: dataset.manifest.id, config });
    ids = [first.id, second.id];
    expect([first.status, second.status]).toEqual(['running', 'queued']);
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 900 } }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('shows the queued run as queued, and Stop takes it out of the queue', async () => {
    await page.goto(`${studio.server.url}#/runs`);
    await expect.poll(() => page.locator(`li[data-run-id="${ids[1]}"] .badge`).textContent(), { timeout: 30_000 }).toBe('queued');
    await expect.poll(() => page.locator(`li[data-run-id="${ids[0]}"] .badge`).textContent(), { timeout: 30_000 }).toBe('running');

    await page.goto(`${studio.server.url}#/runs/${ids[1]}`);
    await page.getByTestId('queued-note').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 30_000 }).toBe('stopped');
    expect(studio.server.service.runs.isQueued(ids[1]!)).toBe(false);
    expect(errors).toEqual([]);
  }, 120_000);
});
