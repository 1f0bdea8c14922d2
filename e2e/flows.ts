/**
 * The happy-path steps both e2e specs (browser against `serve`, and the
 * Electron window) walk through, written once against the UI.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { chartPoints, waitForImage } from './browser';

/** Click "Use the built-in sample" and wait for its report and preview. */
export async function importBuiltinSample(page: Page): Promise<number> {
  await page.getByRole('button', { name: /built-in sample/ }).click();
  const count = page.getByTestId('dataset-count');
  await count.waitFor({ timeout: 120_000 });
  await waitForImage(page, 'section[aria-label="Import report"] img');
  return Number((await count.textContent())?.replace(/,/g, ''));
}

/** Import a path typed into the path box, with a resize and an image cap; resolves when the report shows the cap. */
export async function importTypedPath(page: Page, path: string, size: number, maxImages: number): Promise<void> {
  await page.getByLabel('Dataset path').fill(path);
  await page.locator('.options input').first().fill(String(size));
  await page.locator('.options input').nth(1).fill(String(maxImages));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect
    .poll(async () => (await page.getByTestId('dataset-count').textContent())?.replace(/,/g, ''), { timeout: 120_000 })
    .toBe(String(maxImages));
}

/** Fill the New-run form for a 2-epoch `tiny` run on the dataset whose option contains `datasetText`; returns the run id. */
export async function startTinyRun(page: Page, baseUrl: string, datasetText: string, name: string, options: { screenshot?: string; backend?: string } = {}): Promise<string> {
  await page.goto(`${baseUrl}#/new`);
  await page.getByRole('radio', { name: /Tiny/ }).check({ force: true });
  const dataset = page.getByLabel('Dataset', { exact: true });
  const value = await dataset.locator('option', { hasText: datasetText }).first().getAttribute('value');
  await dataset.selectOption(value ?? '');
  await page.getByLabel('Epochs', { exact: true }).fill('2');
  await page.getByLabel('Batch size', { exact: true }).fill('8');
  await page.getByLabel('Run name', { exact: true }).fill(name);
  if (options.backend) await page.getByLabel('Backend', { exact: true }).selectOption(options.backend);
  const { screenshot } = options;
  if (screenshot) {
    // Sticky sidebar: capture from the top so it sits where a person sees it.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshot, fullPage: true });
  }
  await page.getByRole('button', { name: /Start training/ }).click();
  await page.waitForURL(/#\/runs\/.+/);
  return decodeURIComponent(page.url().split('#/runs/')[1] ?? '');
}

/** The live view shows a decoded grid and its charts gain points. */
export async function seeGridAndCharts(page: Page): Promise<void> {
  expect(await waitForImage(page, '[data-testid="sample-grid"]')).toBeGreaterThan(0);
  await expect.poll(() => chartPoints(page, 'Loss chart'), { timeout: 60_000 }).toBeGreaterThan(0);
  const first = await chartPoints(page, 'Loss chart');
  await expect.poll(() => chartPoints(page, 'Loss chart'), { timeout: 60_000 }).toBeGreaterThan(first);
}

/** Pause (status and points hold), resume (points grow again), stop. */
export async function pauseResumeStop(page: Page): Promise<void> {
  const status = page.getByTestId('run-status');
  await page.getByRole('button', { name: /Pause/ }).click();
  await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('paused');
  const paused = await chartPoints(page, 'Loss chart');
  await page.getByRole('button', { name: /Resume/ }).click();
  await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('running');
  await expect.poll(() => chartPoints(page, 'Loss chart'), { timeout: 60_000 }).toBeGreaterThan(paused);
  await page.getByRole('button', { name: /Stop/ }).click();
  await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('stopped');
}

/** After a reload the run is listed in history with its name and last grid. */
export async function findInHistory(page: Page, baseUrl: string, runId: string, name: string): Promise<void> {
  await page.reload();
  await page.goto(`${baseUrl}#/runs`);
  const row = page.locator(`[data-run-id="${runId}"]`);
  await row.waitFor();
  expect(await row.textContent()).toContain(name);
  await waitForImage(page, `[data-run-id="${runId}"] img`);
}
