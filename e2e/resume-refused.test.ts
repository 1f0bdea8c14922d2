/**
 * A resume the trainer refuses, as the run page shows it in Chromium against
 * `serve`: a stopped run (a real tiny run, stopped after its first epoch)
 * whose checkpoints are all damaged is resumed from its Resume button; the
 * refusal appears with the trainer's reason, what is safe and what to do,
 * the status stays "stopped" on the page and in run.json, and the note is
 * still there after a reload and in the Runs list.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunRecord } from '../src/main/runs';
import { writeSquaresDataset } from '../src/main/common/test-support';
import { hasChromium, openWatchedPage, screenshotsDir } from './browser';
import { startStudioServer, waitFor, type StudioServerFixture } from './studio-server';

describe.skipIf(!hasChromium())('a refused resume in the run page (Chromium against serve)', () => {
  let studio: StudioServerFixture;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let runId = '';
  let runDir = '';

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-refused-');
    const { service } = studio.server;
    await writeSquaresDataset(join(studio.work, 'datasets', 'squares-test'), 20);
    const config = { preset: 'tiny' as const, epochs: 200, batchSize: 8, seed: 3, backend: 'cpu' as const, earlySampleSteps: [], scoreEvery: 0 };
    runId = (await service.createRun({ name: 'refused', datasetId: 'squares-test', config })).id;
    runDir = join(studio.work, 'runs', runId);
    await waitFor(async () => (await readRunRecord(runDir)).epoch >= 1, 90_000);
    await service.stopRun(runId);
    await service.runs.whenIdle(runId);
    // Really damaged: every checkpoint's generator/model.json gone.
    for (const name of await readdir(join(runDir, 'checkpoints'))) await rm(join(runDir, 'checkpoints', name, 'generator', 'model.json'));
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 900 } }));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('shows the refusal with what is wrong, what is safe and what to do; the run stays stopped, across a reload', async () => {
    await page.goto(`${studio.server.url}#/runs/${runId}`);
    const status = page.getByTestId('run-status');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('stopped');
    await page.getByRole('button', { name: 'Resume' }).click();

    const refusal = page.getByTestId('resume-refused');
    await refusal.waitFor({ timeout: 90_000 });
    const text = (await refusal.textContent())?.replace(/\s+/g, ' ') ?? '';
    expect(text).toMatch(/Resume refused/);
    expect(text).toMatch(/Every checkpoint of .* is damaged: .*generator\/model\.json is missing/);
    expect(text).toContain('Nothing was changed: the run is still stopped, and its metrics, samples, checkpoints and exports are as they were.');
    expect(text).not.toMatch(/delete/i);
    expect(await refusal.getByRole('button', { name: 'New variant' }).count()).toBe(1);
    expect(await status.textContent()).toBe('stopped');
    // The request is answered: Resume is offered again, not stuck on "Resuming…".
    await expect.poll(() => page.getByRole('button', { name: 'Resume', exact: true }).count()).toBe(1);
    expect(await readRunRecord(runDir)).toMatchObject({ status: 'stopped', resumeRefused: { message: expect.stringMatching(/^Every checkpoint/) } });

    await page.reload();
    await page.getByTestId('resume-refused').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('run-status').textContent()).toBe('stopped');
    await mkdir(screenshotsDir, { recursive: true });
    await page.screenshot({ path: join(screenshotsDir, 'resume-refused.png') });

    await page.goto(`${studio.server.url}#/runs`);
    const row = page.locator(`li[data-run-id="${runId}"]`);
    await expect.poll(() => row.locator('.badge').textContent(), { timeout: 30_000 }).toBe('stopped');
    expect(await row.getByTestId('resume-refused-mark').getAttribute('title')).toMatch(/^Every checkpoint of .* is damaged/);
    expect(errors).toEqual([]);
  }, 180_000);
});
