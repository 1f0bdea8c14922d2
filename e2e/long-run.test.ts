/**
 * A 200k-step run in Chromium against `serve`: the live view opens with a
 * bounded overview, a wheel zoom on the loss chart fetches that step range
 * in detail (getRunSteps over the page's own WebSocket), and the chart's
 * tooltip renders under the strict CSP (no inline styles) without a console error.
 * A run of 12,500 epochs opens with a bounded list of grids; stopping the
 * scrubber on one loads the grids around it (getRunHistory).
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLongRun } from '../src/main/server/load-fixture';
import { chartPoints, hasChromium, openWatchedPage } from './browser';
import { startStudioServer, type StudioServerFixture } from './studio-server';

describe.skipIf(!hasChromium())('a long run in Chromium against serve', () => {
  let studio: StudioServerFixture;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let runId: string;
  let manyEpochsId: string;
  const calls: string[] = [];

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-long-');
    runId = await writeLongRun(join(studio.work, 'runs'), join(studio.work, 'datasets', 'ds'), 200_000);
    manyEpochsId = await writeLongRun(join(studio.work, 'runs'), join(studio.work, 'datasets', 'ds'), 50_000, 4, { samples: true, scoreEvery: 10 });
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 960 } }));
    page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        const method = /"method":"(\w+)"/.exec(String(payload))?.[1];
        if (method) calls.push(method);
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('opens with a bounded overview and zooms into detail', async () => {
    await page.goto(`${studio.server.url}#/runs/${runId}`);
    await expect.poll(() => chartPoints(page, 'Loss chart'), { timeout: 30_000 }).toBeGreaterThan(1000);
    const overview = await chartPoints(page, 'Loss chart');
    expect(overview).toBeLessThanOrEqual(2000);

    const chart = page.locator('section[aria-label="Loss chart"] .chart');
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -400);
    await expect.poll(() => calls.includes('getRunSteps'), { timeout: 15_000 }).toBe(true);
    // The zoomed range now comes in detail: the chart holds other points than the overview.
    await expect.poll(() => chartPoints(page, 'Loss chart'), { timeout: 15_000 }).not.toBe(overview);

    // The tooltip (built as DOM, styled through the CSSOM) shows its coloured markers.
    await page.mouse.move(box.x + box.width / 2 + 5, box.y + box.height / 2);
    const marker = page.locator('section[aria-label="Loss chart"] .chart div b').first();
    await marker.waitFor({ timeout: 10_000 });
    const background = await page.locator('section[aria-label="Loss chart"] .chart div span').first().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).not.toBe('rgba(0, 0, 0, 0)');
    expect(errors).toEqual([]);
  }, 120_000);

  it('opens a run of 12,500 epochs with a bounded list of grids, and loads the grids around the one the scrubber stops on', async () => {
    await page.goto(`${studio.server.url}#/runs/${manyEpochsId}`);
    const caption = page.locator('section[aria-label="Fixed-noise samples"] .caption .muted');
    await expect.poll(() => caption.textContent(), { timeout: 30_000 }).toMatch(/^500 \/ 500 of 12,500 grids$/);
    const slider = page.getByRole('slider', { name: 'Saved grid' });
    await slider.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => calls.includes('getRunHistory'), { timeout: 15_000 }).toBe(true);
    const grid = page.locator('[data-testid="sample-grid"]');
    const stoppedOn = (await grid.getAttribute('alt'))!;
    // The grids between its neighbours are loaded: the list grew, it still shows the grid it stopped on, and the one before is the epoch before.
    await expect.poll(async () => Number(/\/ (\d+)/.exec((await caption.textContent()) ?? '')?.[1]), { timeout: 15_000 }).toBeGreaterThan(500);
    expect(await grid.getAttribute('alt')).toBe(stoppedOn);
    const epoch = Number(/epoch (\d+)/.exec(stoppedOn)![1]);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => grid.getAttribute('alt')).toMatch(new RegExp(`epoch ${epoch - 1}, `));
    expect(errors).toEqual([]);
  }, 120_000);
});
