/**
 * The run page and the Runs list as a keyboard user and a careful reader
 * meet them: focus stays on a control across Start, Pause, Resume and Stop;
 * Pause settles (no step moves after "paused"); every view names the same
 * epoch; "· live" only while training; Escape cancels a rename; deleting a
 * training run says so first.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetSource } from '../src/main/data';
import type { StudioServer } from '../src/main/server';
import type { RunSummary } from '../src/shared/api';
import { chartPoints, hasChromium, launchChromium, watchErrors } from './browser';
import { startStudioServer, waitForRunsCompleted, type StudioServerFixture } from './studio-server';

/** What has keyboard focus, described for an assertion message. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return !el || el === document.body ? 'body' : `${el.tagName.toLowerCase()}:${(el.textContent ?? '').trim()}`;
  });
}

describe.skipIf(!hasChromium())('run controls in Chromium against serve', () => {
  let studio: StudioServerFixture;
  let server: StudioServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let datasetId = '';

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-controls-');
    ({ server } = studio);
    // 3000 16×16 images: 375 steps of 8 per epoch, so the run is mid-epoch when the test acts.
    const dataset = await server.service.importDataset(builtinDatasetSource(), { size: 16, maxImages: 3000 });
    datasetId = dataset.manifest.id;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // The browser's Notification API, recorded: headless Chromium has no notification centre to look at.
    await page.addInitScript(() => {
      const log = { asked: 0, shown: [] as string[] };
      (window as unknown as { notices: typeof log }).notices = log;
      class RecordedNotification {
        static permission: NotificationPermission = 'default';
        static requestPermission(): Promise<NotificationPermission> {
          log.asked++;
          RecordedNotification.permission = 'granted';
          return Promise.resolve('granted');
        }
        onclick: (() => void) | null = null;
        constructor(title: string, options?: NotificationOptions) {
          log.shown.push(`${title} | ${options?.body ?? ''}`);
        }
      }
      (window as unknown as { Notification: unknown }).Notification = RecordedNotification;
    });
    errors = watchErrors(page);
    await page.goto(server.url);
    await page.locator('[data-connection="open"]').waitFor();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('Start leaves focus on the run’s Pause button, not on <body>', async () => {
    await page.goto(`${server.url}#/new`);
    await page.getByRole('radio', { name: /Tiny/ }).check({ force: true });
    await page.getByLabel('Dataset', { exact: true }).selectOption(datasetId);
    await page.getByLabel('Epochs', { exact: true }).fill('20');
    await page.getByLabel('Batch size', { exact: true }).fill('8');
    await page.getByLabel('Run name', { exact: true }).fill('controls');
    await page.getByRole('button', { name: /Start training/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/runs\/.+/);
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toBe('running');
    await expect.poll(() => focused(page)).toBe('button:Pause');
    // Start was the user gesture that asked for notifications.
    expect(await page.evaluate(() => (window as unknown as { notices: { asked: number } }).notices.asked)).toBe(1);
  });

  it('pauses and resumes from the keyboard: focus stays, and the step counter holds once paused', async () => {
    await expect.poll(() => chartPoints(page, 'Loss chart'), { timeout: 60_000 }).toBeGreaterThan(0);
    const status = page.getByTestId('run-status');
    await page.keyboard.press('Enter');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('paused');
    const stepAtPause = await page.getByTestId('step').textContent();
    await page.waitForTimeout(1500);
    expect(await page.getByTestId('step').textContent()).toBe(stepAtPause);
    expect(await focused(page)).toBe('button:Resume');

    await page.keyboard.press('Enter');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('running');
    await expect.poll(() => focused(page)).toBe('button:Pause');
  });

  it('stops: focus moves to Resume, and the page, Runs and Compare name the same epoch; no "live" on a stopped run', async () => {
    const status = page.getByTestId('run-status');
    await page.getByRole('button', { name: 'Stop' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('stopped');
    await expect.poll(() => focused(page)).toBe('button:Resume');

    const run = (await server.service.listRuns()).find((item): item is RunSummary => item.status !== 'damaged');
    if (!run) throw new Error('expected the stopped run in the list');
    const tile = (await page.getByTestId('epoch').textContent())?.replace(/\s+/g, ' ').trim();
    expect(tile).toBe(`${run!.epoch} / ${run!.config.epochs}`);
    expect(await page.locator('.scrubber .caption').textContent()).not.toContain('live');

    await page.goto(`${server.url}#/runs`);
    const row = page.locator(`[data-run-id="${run!.id}"]`);
    expect(await row.locator('.meta').textContent()).toContain(`${run!.epoch} of ${run!.config.epochs} epoch${run!.config.epochs === 1 ? '' : 's'} done`);
  });

  it('Escape in the rename field cancels; Enter saves', async () => {
    const id = await page.locator('[data-run-id]', { hasText: 'controls' }).getAttribute('data-run-id');
    const row = page.locator(`[data-run-id="${id}"]`);
    await row.getByRole('button', { name: 'Rename' }).click();
    await row.getByRole('textbox').fill('should not stick');
    await row.getByRole('textbox').press('Escape');
    await row.getByRole('textbox').waitFor({ state: 'detached' });
    await page.waitForTimeout(300);
    expect(await row.locator('.name').textContent()).toBe('controls');
    expect((await server.service.listRuns())[0]!.name).toBe('controls');

    await row.getByRole('button', { name: 'Rename' }).click();
    await row.getByRole('textbox').fill('controls renamed');
    await row.getByRole('textbox').press('Enter');
    await expect.poll(() => row.locator('.name').textContent()).toBe('controls renamed');
  });

  it('notifies in the browser when a run finishes, naming it (and not when the user stopped one)', async () => {
    const run = await server.service.createRun({ name: 'short', datasetId, config: { preset: 'tiny', epochs: 1, batchSize: 64 } });
    await waitForRunsCompleted(server.service, [run.id], 120_000);
    const notices = (): Promise<string[]> => page.evaluate(() => (window as unknown as { notices: { shown: string[] } }).notices.shown);
    await expect.poll(notices, { timeout: 10_000 }).toEqual(['Training finished: short | All 1 epoch done. Open the run to see its grid and export it.']);
  });

  it('asks before deleting a run that is training, and says it is', async () => {
    const run = await server.service.createRun({ name: 'busy', datasetId, config: { preset: 'tiny', epochs: 20, batchSize: 8 } });
    await page.goto(`${server.url}#/runs`);
    const row = page.locator(`[data-run-id="${run.id}"]`);
    await expect.poll(() => row.locator('.badge').textContent(), { timeout: 60_000 }).toBe('running');
    await row.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('still training');
    await dialog.getByRole('button', { name: 'Stop and delete run' }).click();
    await row.waitFor({ state: 'detached', timeout: 60_000 });
    expect(errors).toEqual([]);
  });
});
