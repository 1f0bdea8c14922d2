/**
 * What tripped a newcomer up (issue 21), in Chromium against `serve`, with
 * real imports and real trainer processes: Library cards and Compare's picker
 * that say what differs, "Train on this", New run's default dataset and folded
 * summaries, "New variant of …", counters that never go back, the facts line,
 * the one-frame export warning, Generate's GIF as a download, and the sample
 * grid without white gutters in dark mode.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/shared/api';
import type { TrainingConfigInput } from '../src/shared/config';
import { builtinDatasetSource } from '../src/main/data';
import type { StudioServer } from '../src/main/server';
import { hasChromium, openWatchedPage, screenshotsDir, waitForImage } from './browser';
import { startStudioServer, waitForRunsCompleted, type StudioServerFixture } from './studio-server';

const TINY: TrainingConfigInput = { preset: 'tiny', epochs: 1, batchSize: 8, gridRows: 2, gridCols: 2, earlySampleSteps: [1], scoreEvery: 0 };

describe.skipIf(!hasChromium())('newcomer polish in Chromium against serve', () => {
  let studio: StudioServerFixture;
  let server: StudioServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const ids = { fashion28: '', small16: '', large16: '' };
  let twins: RunSummary[] = [];

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-newcomer-');
    ({ server } = studio);
    const sample = builtinDatasetSource();
    // Imported in this order: the newest import (16×16) does not fit the default preset (quick, 28×28).
    ids.fashion28 = (await server.service.importDataset(sample, { maxImages: 64 })).manifest.id;
    ids.small16 = (await server.service.importDataset(sample, { size: 16, maxImages: 48 })).manifest.id;
    ids.large16 = (await server.service.importDataset(sample, { size: 16, maxImages: 96 })).manifest.id;
    // Two runs named alike (a name leaves the seed out): what tells them apart is the seed.
    twins = await Promise.all([17, 4].map((seed) => server.service.createRun({ datasetId: ids.small16, config: { ...TINY, seed } })));
    await waitForRunsCompleted(server.service, twins.map((run) => run.id), 240_000);
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true }));
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('Library cards say the size and source of two "Fashion-MNIST (test set)" imports', async () => {
    await page.goto(`${server.url}#/datasets`);
    const cards = page.locator('.library .item', { hasText: 'Fashion-MNIST (test set)' });
    await expect.poll(() => cards.count(), { timeout: 20_000 }).toBe(3);
    const faces = await cards.evaluateAll((items) => items.map((item) => item.querySelector('.pick')?.textContent?.replace(/\s+/g, ' ').trim()));
    expect(new Set(faces).size).toBe(3);
    expect(faces).toContainEqual(expect.stringContaining('48 images · 16×16×1 built-in sample · first 48 images · resized to 16 px'));
    expect(faces).toContainEqual(expect.stringContaining('96 images · 16×16×1 built-in sample · first 96 images · resized to 16 px'));
  });

  it('"Train on this" opens New run with a preset that fits the images, Start ready', async () => {
    const card = page.locator('.library .item', { hasText: 'first 48 images' });
    await card.locator('.pick').click();
    await page.getByRole('button', { name: /Train on this/ }).click();
    await page.waitForURL(/#\/new$/);
    expect(await page.getByRole('radio', { name: /Tiny/ }).isChecked()).toBe(true);
    expect(await page.getByLabel('Dataset', { exact: true }).inputValue()).toBe(ids.small16);
    await expect.poll(() => page.getByRole('button', { name: /Start training/ }).isDisabled()).toBe(false);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('New run');
  });

  it('New run picks a dataset its preset can train on, with the model summaries folded', async () => {
    await page.goto(`${server.url}#/runs`);
    await page.goto(`${server.url}#/new`);
    await page.getByRole('radio', { name: /Quick/ }).waitFor({ state: 'attached' });
    expect(await page.getByRole('radio', { name: /Quick/ }).isChecked()).toBe(true);
    // The newest import is 16×16; quick trains on 28×28: the 28×28 one is chosen, and Start is ready.
    await expect.poll(() => page.getByLabel('Dataset', { exact: true }).inputValue()).toBe(ids.fashion28);
    await expect.poll(() => page.getByRole('button', { name: /Start training/ }).isDisabled()).toBe(false);
    expect(await page.getByRole('button', { name: 'Show' }).getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('section[aria-label="Generator summary"]').count()).toBe(0);
    const pageHeight = () => page.evaluate(() => document.documentElement.scrollHeight);
    const folded = await pageHeight();
    // The summaries were what made the form ~2,200 px tall; folded, it fits in a little over two screens
    // (with the executor picker and the Sweep panel, folded too).
    expect(folded).toBeLessThan(1900);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('section[aria-label="Generator summary"]').waitFor();
    const open = await pageHeight();
    expect(open - folded, `folded ${folded} px, open ${open} px`).toBeGreaterThan(300);
    await page.getByRole('button', { name: 'Hide' }).click();
    expect(await page.locator('section[aria-label="Generator summary"]').count()).toBe(0);
    // Another preset, a dataset it cannot read: Start says why it waits.
    await page.getByRole('radio', { name: /Tiny/ }).check({ force: true });
    await page.getByLabel('Dataset', { exact: true }).selectOption(ids.fashion28);
    expect(await page.getByTestId('start-hint').textContent()).toMatch(/trains on 16×16×1 images and Fashion-MNIST \(test set\) is\s+28×28×1: pick another dataset, or re-import/);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(screenshotsDir, 'new-run-folded.png'), fullPage: true });
  });

  it('a finished run: counters agree, facts read apart, one-frame export said before exporting, New variant names its parent', async () => {
    const run = twins[0]!;
    await page.goto(`${server.url}#/runs/${run.id}`);
    await page.getByTestId('run-status').waitFor();
    const grid = page.getByTestId('sample-grid');
    await waitForImage(page, '[data-testid="sample-grid"]');
    const gridStep = Number(/step (\d+)/.exec((await grid.getAttribute('alt')) ?? '')?.[1]);
    const stepTile = Number((await page.getByTestId('step').textContent())?.replace(/,/g, ''));
    expect(stepTile).toBeGreaterThanOrEqual(gridStep);
    expect(await page.locator('.tile', { has: page.getByTestId('epoch') }).locator('span').first().textContent()).toBe('Epochs done');
    expect(await page.getByTestId('run-facts').textContent()).toBe('tiny · Fashion-MNIST (test set) · batch 8 · seed 17');

    await page.getByLabel('Export format').selectOption('gif');
    expect(await page.getByTestId('one-frame-note').textContent()).toContain('This animation would have one frame (epoch 1)');
    await page.getByLabel('Export format').selectOption('png');
    expect(await page.getByTestId('one-frame-note').count()).toBe(0);

    await page.getByRole('button', { name: 'New variant' }).first().click();
    await page.waitForURL(/#\/new$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`New variant of ${run.name}`);
    expect(run.name).toBe('tiny · Fashion-MNIST · batch 8 · 1 epoch');
  });

  it("Compare's picker says what tells two runs of one name apart", async () => {
    await page.goto(`${server.url}#/compare`);
    const details = await page.getByTestId('pick-detail').allTextContents();
    expect(details).toEqual(expect.arrayContaining(['tiny · 1 of 1 epoch done · seed 17', 'tiny · 1 of 1 epoch done · seed 4']));
  });

  it('Generate: Export GIF saves the file (a download), not just a link to it', async () => {
    const run = twins[1]!;
    await page.goto(`${server.url}#/generate/${run.id}`);
    await page.getByRole('button', { name: 'Draw' }).click();
    await waitForImage(page, '[data-testid="generated-grid"]');
    await page.getByRole('button', { name: 'Interpolate' }).click();
    await waitForImage(page, '[data-testid="interpolation-strip"]');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'Export GIF' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^interpolation-.*\.gif$/);
    expect(await page.getByTestId('interpolation-gif').getAttribute('download')).toBe(download.suggestedFilename());
  });

  it('a live run: the Step tile never shows less than the grid, and Stop does not make the epoch go back', async () => {
    // 12 steps an epoch: 400 epochs outlast the test on any machine (Stop ends the run, not its length).
    const run = await server.service.createRun({ datasetId: ids.large16, config: { ...TINY, epochs: 400, seed: 9 } });
    await page.goto(`${server.url}#/runs/${run.id}`);
    await waitForImage(page, '[data-testid="sample-grid"]', 120_000);
    for (let i = 0; i < 5; i++) {
      const alt = (await page.getByTestId('sample-grid').getAttribute('alt')) ?? '';
      const step = Number((await page.getByTestId('step').textContent())?.replace(/,/g, ''));
      expect(step, alt).toBeGreaterThanOrEqual(Number(/step (\d+)/.exec(alt)?.[1]));
      await page.waitForTimeout(300);
    }
    await expect.poll(() => page.getByTestId('epoch').textContent(), { timeout: 120_000 }).toMatch(/^\s*[2-9]/);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toBe('stopped');
    const label = await page.locator('.tile', { has: page.getByTestId('epoch') }).locator('span').first().textContent();
    expect(label).toBe('Epochs done');
    await page.goto(`${server.url}#/runs`);
    expect(await page.locator(`[data-run-id="${run.id}"] .meta`).textContent()).toMatch(/\d+ of 400 epochs done/);
  });

  it('dark mode: the sample grid has no white gutters (they are transparent) on a dark frame', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${server.url}#/runs/${twins[0]!.id}`);
    await waitForImage(page, '[data-testid="sample-grid"]');
    const seen = await page.evaluate(async () => {
      const img = document.querySelector('[data-testid="sample-grid"]') as HTMLImageElement;
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const context = canvas.getContext('2d')!;
      context.drawImage(img, 0, 0);
      // 2×2 tiles of 16 px: column 16 is the gap between them.
      const gap = context.getImageData(16, 4, 1, 1).data;
      const tile = context.getImageData(4, 4, 1, 1).data;
      const frame = getComputedStyle(img.parentElement!).backgroundColor;
      return { gapAlpha: gap[3], tileAlpha: tile[3], frame };
    });
    expect(seen.gapAlpha).toBe(0);
    expect(seen.tileAlpha).toBe(255);
    const [r, g, b] = (seen.frame.match(/\d+/g) ?? ['255', '255', '255']).map(Number);
    expect((r! + g! + b!) / 3).toBeLessThan(100);
    await page.screenshot({ path: join(screenshotsDir, 'run-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(errors).toEqual([]);
  });
});
