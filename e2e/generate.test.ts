/**
 * The Generate view in Chromium against `serve`, on a real tiny run: the
 * checkpoint picker, a grid for a seed, two samples picked by clicking, the
 * slerp strip and its GIF/MP4, a cancelled GIF, "save these N images", an earlier epoch, and
 * a run with no checkpoint yet.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixtureRun } from '../src/main/export/test-fixtures';
import type { StudioServer } from '../src/main/server';
import { hasChromium, openWatchedPage, waitForImage } from './browser';
import { makePngZip } from './fixtures';
import { startStudioServer, waitForRunsCompleted, type StudioServerFixture } from './studio-server';

describe.skipIf(!hasChromium())('Generate view in Chromium against serve', () => {
  let studio: StudioServerFixture;
  let server: StudioServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let runId: string;

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-generate-');
    ({ server } = studio);
    const dataset = await server.service.importDataset(await makePngZip(studio.work, 24), { channels: 1 });
    const run = await server.service.createRun({
      name: 'generate me',
      datasetId: dataset.manifest.id,
      config: { preset: 'tiny', epochs: 2, batchSize: 8, seed: 3, gridRows: 2, gridCols: 2 },
    });
    runId = run.id;
    await waitForRunsCompleted(server.service, [runId], 240_000);
    await makeFixtureRun(join(studio.work, 'runs'), { id: 'untrained', name: 'no checkpoint yet', epochs: 1 });
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 1000 } }));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  const fetchInPage = (href: string): Promise<{ status: number; type: string | null; size: number }> =>
    page.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, type: response.headers.get('content-type'), size: (await response.arrayBuffer()).byteLength };
    }, href);

  it('draws a grid for a seed from the newest checkpoint, reached from the run page', async () => {
    await page.goto(`${server.url}#/runs/${runId}`);
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.waitForURL(new RegExp(`#/generate/${runId}$`));
    const checkpoint = page.getByLabel('Checkpoint', { exact: true });
    await expect.poll(() => checkpoint.locator('option:checked').textContent(), { timeout: 10_000 }).toMatch(/^epoch 2 \(step \d+\)$/);
    expect(await page.getByLabel('EMA generator').isDisabled()).toBe(true);
    await page.getByLabel('Seed').fill('42');
    await page.getByLabel('Samples', { exact: true }).selectOption('9');
    await page.getByRole('button', { name: 'Draw' }).click();
    // 9 tiles of 16 px, 3 × 3 with 2 px gaps.
    expect(await waitForImage(page, '[data-testid="generated-grid"]')).toBe(52);
    const src = (await page.getByTestId('generated-grid').getAttribute('src'))!;
    expect(src).toMatch(new RegExp(`^/files/run/${runId}/generated/grid-step-\\d+-seed-42-n9\\.png$`));
    expect(await fetchInPage(src)).toMatchObject({ status: 200, type: 'image/png' });
    expect(await page.getByRole('button', { name: /^Sample \d/ }).count()).toBe(9);
  });

  it('interpolates between two clicked samples, as a strip, a GIF and an MP4', async () => {
    await page.getByRole('button', { name: 'Sample 2', exact: true }).click();
    await page.getByRole('button', { name: 'Sample 7', exact: true }).click();
    expect(await page.getByRole('button', { name: 'Sample 2, A: start of the walk' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByLabel('From sample').inputValue()).toBe('2');
    expect(await page.getByLabel('to sample').inputValue()).toBe('7');
    await page.getByLabel('Frames').fill('6');
    await page.getByRole('button', { name: 'Interpolate' }).click();
    // 6 frames of 16 px with 2 px gaps.
    expect(await waitForImage(page, '[data-testid="interpolation-strip"]')).toBe(106);
    for (const [format, type] of [['GIF', 'image/gif'], ['MP4', 'video/mp4']] as const) {
      await page.getByRole('button', { name: `Export ${format}` }).click();
      const link = page.getByRole('link', { name: `Download ${format}` });
      await link.waitFor({ timeout: 60_000 });
      const href = (await link.getAttribute('href'))!;
      expect(href).toMatch(new RegExp(`/generated/interpolation-step-\\d+-seed-42-2-to-7-6f\\.${format.toLowerCase()}$`));
      expect(await fetchInPage(href)).toMatchObject({ status: 200, type });
    }
  });

  it('cancels a long interpolation: no file, no error, the buttons back', async () => {
    await page.getByLabel('Frames').fill('240');
    await page.getByRole('button', { name: 'Export GIF' }).click();
    const busy = page.getByTestId('generate-busy');
    await busy.waitFor();
    expect(await busy.textContent()).toContain('Encoding the GIF');
    await busy.getByRole('button', { name: 'Cancel' }).click();
    await busy.waitFor({ state: 'detached', timeout: 30_000 });
    expect(await page.getByRole('button', { name: 'Export GIF' }).isEnabled()).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);
    const generated = join(studio.work, 'runs', runId, 'generated');
    expect((await readdir(generated)).filter((name) => name.includes('240f') || name.includes('.partial-'))).toEqual([]);
    await page.getByLabel('Frames').fill('6');
  });

  it('saves the drawn samples as PNG files', async () => {
    await page.getByRole('button', { name: 'Save these 9 images' }).click();
    const saved = page.getByTestId('saved-images');
    await saved.waitFor({ timeout: 60_000 });
    const links = saved.getByRole('link');
    expect(await links.count()).toBe(9);
    expect(await links.first().textContent()).toBe('seed-42-000.png');
    const served = await fetchInPage((await links.first().getAttribute('href'))!);
    expect(served).toMatchObject({ status: 200, type: 'image/png' });
    await saved.getByRole('button', { name: 'Show path on the server' }).click();
    await expect.poll(() => saved.textContent(), { timeout: 10_000 }).toMatch(new RegExp(`On the server: .*${runId}/generated/step-\\d+-seed-42-n9/seed-42-000\\.png`));
  });

  it('draws from an earlier epoch, and says so when a run has no checkpoint', async () => {
    const first = (await page.getByLabel('Checkpoint', { exact: true }).locator('option').first().textContent())!;
    expect(first).toMatch(/^epoch 1 \(step \d+\)$/);
    const step = /step (\d+)/.exec(first)![1];
    await page.getByLabel('Checkpoint', { exact: true }).selectOption({ label: first });
    await page.getByRole('button', { name: 'Draw' }).click();
    await expect.poll(() => page.getByTestId('generated-grid').getAttribute('src'), { timeout: 60_000 }).toContain(`/generated/grid-step-${step}-seed-42-n9.png`);

    await page.getByLabel('Run', { exact: true }).selectOption({ label: 'no checkpoint yet' });
    await page.getByTestId('no-checkpoints').waitFor();
    // It has ended (completed without a checkpoint): nothing says one is still coming.
    expect(await page.getByTestId('no-checkpoints').textContent()).toContain('This run ended before it saved a checkpoint.');
    expect(await page.getByRole('button', { name: 'Draw' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
