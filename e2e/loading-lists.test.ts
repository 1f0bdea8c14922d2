/**
 * Until the dataset and run lists are first read, the views say so: a user whose
 * library is slow to list is never told "No datasets yet" or "No runs yet", nor
 * offered the first-launch card. The page's socket is routed so the two list
 * replies are held back until the test lets them through.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSquaresDataset } from '../src/main/common/test-support';
import type { ClientMessage, ServerMessage } from '../src/shared/wire';
import { hasChromium, openWatchedPage } from './browser';
import { startStudioServer, type StudioServerFixture } from './studio-server';

describe.skipIf(!hasChromium())('lists before their first read, in Chromium against serve', () => {
  let studio: StudioServerFixture;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-loading-');
    await writeSquaresDataset(join(studio.work, 'datasets', 'squares-test'), 20);
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 900 } }));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('says the datasets and runs are loading while their lists are held, then shows them', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.routeWebSocket(/\/api\/ws/, (ws) => {
      const server = ws.connectToServer();
      const held = new Set<number>();
      ws.onMessage((message) => {
        const call = JSON.parse(String(message)) as ClientMessage;
        if (call.method === 'listDatasets' || call.method === 'listRuns') held.add(call.id);
        server.send(message);
      });
      server.onMessage((message) => {
        const reply = JSON.parse(String(message)) as ServerMessage;
        if (reply.type === 'result' && held.has(reply.id)) void released.then(() => ws.send(message));
        else ws.send(message);
      });
    });

    await page.goto(`${studio.server.url}#/datasets`);
    await expect.poll(() => page.getByTestId('list-loading').textContent()).toContain('Loading datasets…');
    expect(await page.getByText('No datasets yet').count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Quick start' }).count()).toBe(0);
    await page.evaluate(() => (location.hash = '#/runs'));
    await expect.poll(() => page.getByTestId('list-loading').textContent()).toContain('Loading runs…');
    expect(await page.getByText('No runs yet').count()).toBe(0);

    release();
    await page.getByText('No runs yet').waitFor();
    await page.evaluate(() => (location.hash = '#/datasets'));
    await expect.poll(() => page.locator('section[aria-label="Imported datasets"]').textContent()).toContain('squares');
    expect(await page.getByTestId('list-loading').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
