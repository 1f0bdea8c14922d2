/**
 * A new user's first open of an empty studio: the built-in Fashion-MNIST is
 * imported without a click, and "Train a quick GAN" starts a run of the
 * quick preset on it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioServer } from '../src/main/server';
import { QUICK_PRESET } from '../src/renderer/src/lib/quick-start';
import { hasChromium, openWatchedPage } from './browser';
import { startStudioServer, type StudioServerFixture } from './studio-server';

describe.skipIf(!hasChromium())('first launch in Chromium against serve', () => {
  let studio: StudioServerFixture;
  let server: StudioServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-first-');
    ({ server } = studio);
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 900 } }));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('has the built-in Fashion-MNIST ready without a click', async () => {
    expect(await server.service.listDatasets()).toEqual([]);
    await page.goto(server.url);
    const welcome = page.getByRole('region', { name: 'Quick start' });
    await welcome.getByRole('button', { name: 'Train a quick GAN' }).waitFor({ timeout: 120_000 });
    expect(await welcome.textContent()).toContain('is ready');
    const [dataset] = await server.service.listDatasets();
    expect(dataset?.manifest.source.kind).toBe('builtin');
    expect(dataset?.manifest.count).toBe(10_000);
    expect(await page.locator('section[aria-label="Imported datasets"]').textContent()).toContain(dataset!.manifest.name);
  });

  it('trains a quick GAN with one click', async () => {
    await page.getByRole('button', { name: 'Train a quick GAN' }).click();
    await page.waitForURL(/#\/runs\/.+/);
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toBe('running');
    const [run] = await server.service.listRuns();
    expect(run?.status).not.toBe('damaged');
    expect(run && 'config' in run ? run.config.preset : undefined).toBe(QUICK_PRESET);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toBe('stopped');
    // Once a run exists the welcome card makes way for the ordinary views.
    await page.goto(`${server.url}#/datasets`);
    await page.getByRole('heading', { name: 'Datasets' }).waitFor();
    expect(await page.getByRole('region', { name: 'Quick start' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
