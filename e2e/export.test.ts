/**
 * Exports from the UI in Chromium against `serve`: a GIF of a tiny real run
 * from the run view (the link appears and the file is served as image/gif),
 * its evidence pack (served with a CSP that forbids scripts), and a
 * comparison GIF from the Compare view; Cancel on a long export leaves no file.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixtureRun } from '../src/main/export/test-fixtures';
import type { StudioServer } from '../src/main/server';
import { hasChromium, openWatchedPage, screenshotsDir } from './browser';
import { makePngZip } from './fixtures';
import { startStudioServer, waitForRunsCompleted, type StudioServerFixture } from './studio-server';

const screenshots = screenshotsDir;

describe.skipIf(!hasChromium())('exports from the UI in Chromium against serve', () => {
  let studio: StudioServerFixture;
  let work: string;
  let server: StudioServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let ids: string[];

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-export-');
    ({ work, server } = studio);
    const dataset = await server.service.importDataset(await makePngZip(work, 24), { channels: 1 });
    const common = { preset: 'tiny' as const, epochs: 2, batchSize: 8, seed: 3, gridRows: 2, gridCols: 2 };
    const a = await server.service.createRun({ name: 'export A', datasetId: dataset.manifest.id, config: common });
    const b = await server.service.createRun({ name: 'export B', datasetId: dataset.manifest.id, config: { ...common, seed: 4 } });
    ids = [a.id, b.id];
    await waitForRunsCompleted(server.service, ids, 240_000);
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 960 } }));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  /** GET `href` from the page (same origin, the session cookie) → status and headers. */
  const fetchInPage = (href: string): Promise<{ status: number; type: string | null; csp: string | null; size: number }> =>
    page.evaluate(async (url) => {
      const response = await fetch(url);
      const size = (await response.arrayBuffer()).byteLength;
      return { status: response.status, type: response.headers.get('content-type'), csp: response.headers.get('content-security-policy'), size };
    }, href);

  it('exports a GIF of a run and serves it', async () => {
    await page.goto(`${server.url}#/runs/${ids[0]}`);
    await page.getByLabel('Export format').selectOption('gif');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const link = page.getByTestId('export-link').first();
    await link.waitFor({ timeout: 60_000 });
    // Named after the run ("export A"), not a fixed "progress.gif" every run shares.
    expect(await link.textContent()).toContain('export-A.gif');
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(new RegExp(`^/files/run/${ids[0]}/exports/export-A\\.gif\\?v=`));
    expect(await fetchInPage(href)).toMatchObject({ status: 200, type: 'image/gif' });
    expect((await fetchInPage(href)).size).toBeGreaterThan(100);
    await mkdir(screenshots, { recursive: true });
    await page.getByRole('region', { name: 'Export', exact: true }).screenshot({ path: join(screenshots, 'export.png') });
  });

  it('writes an evidence pack whose page may not run scripts', async () => {
    await page.getByLabel('Baseline run').selectOption({ label: 'export B' });
    await page.getByRole('button', { name: 'Write evidence pack' }).click();
    const link = page.getByRole('link', { name: /Open evidence-vs-.*index\.html/ });
    await link.waitFor({ timeout: 90_000 });
    const served = await fetchInPage((await link.getAttribute('href'))!);
    expect(served).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(served.csp).toContain("default-src 'none'");
    expect(served.csp).not.toContain('script-src');
  });

  it('exports a comparison GIF from the Compare view', async () => {
    await page.goto(`${server.url}#/compare`);
    await page.getByRole('checkbox', { name: /export A/ }).check();
    await page.getByRole('checkbox', { name: /export B/ }).check();
    await page.getByRole('button', { name: 'Export comparison' }).click();
    const link = page.getByTestId('export-link').first();
    await link.waitFor({ timeout: 60_000 });
    const href = (await link.getAttribute('href'))!;
    expect(href).toContain(`/files/run/${ids[0]}/exports/export-A-vs-export-B.gif`);
    expect(await fetchInPage(href)).toMatchObject({ status: 200, type: 'image/gif' });
  });

  it('cancels a long export from its progress bar, leaving no file', async () => {
    // 60 epochs of a 4×4 grid at scale 16: long enough to cancel while frames are drawn.
    const dir = await makeFixtureRun(join(work, 'runs'), { id: 'long-fixture', name: 'long', epochs: 60 });
    await page.goto(`${server.url}#/runs/long-fixture`);
    await page.getByLabel('Scale').fill('16');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const progress = page.getByTestId('export-progress');
    await progress.waitFor({ timeout: 30_000 });
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Export cancelled').waitFor({ timeout: 30_000 });
    expect(await readdir(join(dir, 'exports')).catch(() => [])).toEqual([]);
    expect(errors).toEqual([]);
  });
});
