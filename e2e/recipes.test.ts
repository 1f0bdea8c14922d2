/**
 * The New run form's Recipes controls in Chromium against `serve`: a loss
 * chosen from the list, DiffAugment ticks, the spectral-norm switch and R1 /
 * EMA numbers reach the run's config (run.json), a refused combination is
 * explained at the field, and the run trains with them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioServer } from '../src/main/server';
import { hasChromium, openWatchedPage } from './browser';
import { makePngZip } from './fixtures';
import { startStudioServer, waitForRunsCompleted, type StudioServerFixture } from './studio-server';

describe.skipIf(!hasChromium())('recipes in the New run form', () => {
  let studio: StudioServerFixture;
  let server: StudioServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-recipes-');
    server = studio.server;
    await server.service.importDataset(await makePngZip(studio.work, 16), { channels: 1, size: 16 });
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1440, height: 960 } }));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('sends the chosen recipes with the run and trains with them', async () => {
    await page.goto(`${server.url}#/new`);
    await page.getByRole('radio', { name: /Tiny/ }).check({ force: true });
    await page.getByLabel('Epochs', { exact: true }).fill('1');
    await page.getByLabel('Batch size', { exact: true }).fill('8');
    const recipes = page.locator('fieldset', { hasText: 'Recipes' });
    await recipes.getByLabel('Loss', { exact: true }).selectOption('hinge');
    await recipes.getByLabel('Label smoothing', { exact: true }).fill('0.1');
    await expect.poll(() => page.locator('#err-labelSmoothing').textContent()).toMatch(/hinge has no targets/);
    await recipes.getByLabel('Label smoothing', { exact: true }).fill('');
    await recipes.getByRole('group', { name: 'DiffAugment' }).getByLabel('translation').check();
    await recipes.getByLabel('Spectral norm (D)', { exact: true }).check();
    await recipes.getByLabel('R1 penalty γ', { exact: true }).fill('1');
    await recipes.getByLabel('EMA generator', { exact: true }).fill('0.9');
    await page.getByRole('button', { name: /Start training/ }).click();
    await page.waitForURL(/#\/runs\/.+/);
    const runId = decodeURIComponent(page.url().split('#/runs/')[1] ?? '');
    await waitForRunsCompleted(server.service, [runId], 120_000);
    const record = JSON.parse(await readFile(join(studio.work, 'runs', runId, 'run.json'), 'utf8'));
    expect(record.status).toBe('completed');
    expect(record.config).toMatchObject({ loss: 'hinge', diffAugment: ['translation'], spectralNorm: true, r1Gamma: 1, emaDecay: 0.9 });
    expect(record.config.labelSmoothing).toBeUndefined();
    expect(errors).toEqual([]);
  }, 240_000);
});
