/**
 * End to end in Debian Chromium against the real `serve` server: import the
 * built-in sample and a dropped zip, train a tiny run, watch the grid and
 * charts, pause/resume/stop, and find the run in history after a reload.
 * Screenshots for the README are taken along the way.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { builtinDatasetSource } from '../src/main/data';
import type { StudioServer } from '../src/main/server';
import { chartPoints, hasChromium, openWatchedPage, screenshotsDir, waitForImage } from './browser';
import { findInHistory, importBuiltinSample, importTypedPath, pauseResumeStop, seeGridAndCharts, startTinyRun } from './flows';
import { makePngZip } from './fixtures';
import { startStudioServer, type StudioServerFixture } from './studio-server';

const screenshots = screenshotsDir;
const ZIP_IMAGES = 24;
/** Enough 16×16 images (375 steps of 8 per epoch) that the run is still training when the test pauses it. */
const RUN_IMAGES = 3000;

/** Trainer child processes of this test process (the server runs in-process), oldest first. */
function trainerPids(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes('trainer'))
    .map((line) => Number(line.trim().split(/\s+/)[0]))
    .filter((pid) => pid > 0);
}

describe.skipIf(!hasChromium())('studio in Chromium against serve', () => {
  let studio: StudioServerFixture;
  let work: string;
  let server: StudioServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-e2e-');
    ({ work, server } = studio);
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1440, height: 960 }, deviceScaleFactor: 1 }));
    await mkdir(screenshots, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('serves the UI at the ready URL and connects', async () => {
    await page.goto(server.url);
    await page.locator('[data-connection="open"]').waitFor();
    await page.getByRole('heading', { name: 'Datasets' }).waitFor();
  });

  it('imports the built-in sample with one click', async () => {
    expect(await importBuiltinSample(page)).toBeGreaterThan(0);
    await page.screenshot({ path: join(screenshots, 'datasets.png') });
  });

  it('imports a zip chosen in the browser (uploaded to the server)', async () => {
    const zip = await makePngZip(work, ZIP_IMAGES);
    await page.setInputFiles('input[type="file"]', zip);
    const report = page.locator('section[aria-label="Import report"]');
    await report.getByRole('heading', { name: /shapes/ }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('dataset-count').textContent()).toBe(String(ZIP_IMAGES));
    expect(await report.textContent()).toContain('left');
  });

  it('imports a zip dropped anywhere on the window', async () => {
    const zip = await makePngZip(join(work, 'drop'), 12);
    const base64 = (await readFile(zip)).toString('base64');
    await page.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'dropped.zip', { type: 'application/zip' }));
      window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      (window as unknown as { transfer: DataTransfer }).transfer = transfer;
    }, base64);
    await page.locator('.dropzone').waitFor();
    await page.evaluate(() => {
      const { transfer } = window as unknown as { transfer: DataTransfer };
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    await page.locator('.dropzone').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('dataset-count').textContent(), { timeout: 60_000 }).toBe('12');
  });

  it('imports a typed server path with size and max-images options', async () => {
    await importTypedPath(page, builtinDatasetSource(), 16, RUN_IMAGES);
  });

  let runId = '';

  it('starts a tiny run and shows the grid and growing charts', async () => {
    const datasetText = `${RUN_IMAGES.toLocaleString('en-US')} · 16×16×1`;
    runId = await startTinyRun(page, server.url, datasetText, 'e2e tiny', { screenshot: join(screenshots, 'new-run.png') });
    expect(runId).not.toBe('');
    await seeGridAndCharts(page);
    // For the README: wait for the first epoch's grid (after the early ones at steps 1, 10, 50), so the
    // screenshot shows charts with shape; epoch 2 leaves time to pause before the run completes.
    await expect
      .poll(async () => Number(await page.getByLabel('Saved grid').getAttribute('max')), { timeout: 180_000 })
      .toBeGreaterThanOrEqual(3);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(screenshots, 'live-run.png') });
  });

  it('pauses, resumes and stops the run', async () => {
    await pauseResumeStop(page);
  });

  it('finds the run in history after a reload', async () => {
    await findInHistory(page, server.url, runId, 'e2e tiny');
    expect(errors).toEqual([]);
  });

  it('shows a crashed trainer with the reason, and resumes it', async () => {
    const small = (await server.service.listDatasets()).find((d) => d.manifest.width === 16 && d.manifest.count === RUN_IMAGES);
    expect(small).toBeDefined();
    const run = await server.service.createRun({ name: 'to crash', datasetId: small!.manifest.id, config: { preset: 'tiny', epochs: 20, batchSize: 8 } });
    await page.goto(`${server.url}#/runs/${encodeURIComponent(run.id)}`);
    const status = page.getByTestId('run-status');
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toBe('running');
    await expect.poll(() => chartPoints(page, 'Loss chart'), { timeout: 60_000 }).toBeGreaterThan(0);

    // A native fault or OOM kill looks like this to the studio: the trainer vanishes without a word.
    const trainer = trainerPids().at(-1);
    expect(trainer).toBeDefined();
    process.kill(trainer!, 'SIGKILL');
    const failure = page.getByTestId('failure');
    await failure.waitFor({ timeout: 30_000 });
    expect(await status.textContent()).toBe('crashed');
    expect(await failure.textContent()).toContain('SIGKILL');

    await failure.getByRole('button', { name: /Resume/ }).click();
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toBe('running');
    await failure.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: /Stop/ }).click();
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('stopped');
  });

  it('renames and deletes a run from history (delete asks first)', async () => {
    await page.goto(`${server.url}#/runs`);
    const runId = await page.locator('li', { hasText: 'to crash' }).getAttribute('data-run-id');
    const renamed = page.locator(`[data-run-id="${runId}"]`);
    await renamed.getByRole('button', { name: 'Rename' }).click();
    await renamed.getByRole('textbox').fill('crashed once');
    await renamed.getByRole('textbox').press('Enter');
    await expect.poll(() => renamed.locator('.name').textContent()).toBe('crashed once');
    // The crashed run may have no grid yet; the first thumbnail that exists must have loaded.
    await waitForImage(page, '[data-run-id] img');
    await page.screenshot({ path: join(screenshots, 'runs.png') });

    await renamed.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.locator(`[data-run-id="${runId}"]`).count()).toBe(1);
    await renamed.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete run' }).click();
    await page.locator(`[data-run-id="${runId}"]`).waitFor({ state: 'detached' });
    await page.reload();
    await page.locator('[data-run-id]').first().waitFor();
    expect(await page.locator(`[data-run-id="${runId}"]`).count()).toBe(0);
  });

  it('refuses a missing or wrong token and a foreign Origin', async () => {
    const base = new URL(server.url);
    const token = base.searchParams.get('token') ?? '';
    const root = `${base.protocol}//${base.host}`;
    expect((await fetch(`${root}/`)).status).toBeGreaterThanOrEqual(400);
    expect((await fetch(`${root}/?token=wrong-${token}`)).status).toBeGreaterThanOrEqual(400);
    expect((await fetch(`${root}/?token=${token}`)).status).toBe(200);

    const refused = (url: string, origin?: string): Promise<number> =>
      new Promise((done) => {
        const socket = new WebSocket(url, origin ? { origin } : {});
        socket.on('open', () => {
          socket.close();
          done(101);
        });
        socket.on('unexpected-response', (_req, res) => done(res.statusCode ?? 0));
        socket.on('error', () => done(0));
      });
    const ws = `ws://${base.host}/api/ws`;
    expect(await refused(`${ws}?token=${token}`, root)).toBe(101);
    expect(await refused(ws, root)).not.toBe(101);
    expect(await refused(`${ws}?token=nope`, root)).not.toBe(101);
    expect(await refused(`${ws}?token=${token}`, 'http://evil.example')).not.toBe(101);
  });
});
