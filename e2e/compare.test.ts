/**
 * The Compare view in Chromium against `serve`: two tiny runs that differ in
 * one hyper-parameter (set up through the server's own StudioService), the
 * epoch slider moving both grids, and the diff table naming the change.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioServer } from '../src/main/server';
import { hasChromium, openWatchedPage, screenshotsDir } from './browser';
import { makePngZip } from './fixtures';
import { startStudioServer, waitForRunsCompleted, type StudioServerFixture } from './studio-server';

const screenshots = screenshotsDir;
const EPOCHS = 3;

describe.skipIf(!hasChromium())('compare view in Chromium against serve', () => {
  let studio: StudioServerFixture;
  let work: string;
  let server: StudioServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-compare-');
    ({ work, server } = studio);
    const dataset = await server.service.importDataset(await makePngZip(work, 32), { channels: 1 });
    const common = { preset: 'tiny' as const, epochs: EPOCHS, batchSize: 8, seed: 11 };
    const baseline = await server.service.createRun({ name: 'baseline', datasetId: dataset.manifest.id, config: common });
    const variant = await server.service.createRun({
      name: 'faster G',
      datasetId: dataset.manifest.id,
      config: { ...common, generatorLearningRate: 0.004 },
    });
    const ids = [baseline.id, variant.id];
    await waitForRunsCompleted(server.service, ids, 240_000);
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1440, height: 960 }, deviceScaleFactor: 1 }));
    await mkdir(screenshots, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  const gridSources = (): Promise<string[]> =>
    page.getByTestId('compare-grid').evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).src));

  it('moves both grids with one slider and lists only the changed hyper-parameter', async () => {
    await page.goto(`${server.url}#/compare`);
    await page.getByRole('checkbox', { name: /baseline/ }).check();
    await page.getByRole('checkbox', { name: /faster G/ }).check();
    await expect.poll(async () => (await gridSources()).length, { timeout: 30_000 }).toBe(2);

    const slider = page.getByLabel('Epoch', { exact: true });
    await slider.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('compare-epoch').textContent()).toBe('1');
    const atFirst = await gridSources();
    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('compare-epoch').textContent()).toBe(String(EPOCHS));
    const atLast = await gridSources();
    expect(atLast[0]).not.toBe(atFirst[0]);
    expect(atLast[1]).not.toBe(atFirst[1]);
    await expect
      .poll(() => page.getByTestId('compare-grid').evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).naturalWidth > 0)))
      .toBe(true);

    const diff = page.getByTestId('config-diff');
    const rows = await diff.locator('tbody tr td:first-child').allTextContents();
    expect(rows).toEqual(['G learning rate']); // the human label (src/shared/config-fields.ts)
    expect(await diff.textContent()).toContain('0.004');
    expect(await page.getByText('same latent vectors').count()).toBe(1);

    await page.screenshot({ path: join(screenshots, 'compare.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
