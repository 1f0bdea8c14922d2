/**
 * `serve` restarts under an open tab. With the kept token (the default) the
 * tab reconnects by itself, as a bookmark keeps working; with a new token
 * (--new-token) the tab says what happened and what to do, and stops
 * knocking instead of retrying forever.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { persistentToken, tokenFileFor } from '../src/main/server/auth';
import { hasChromium, launchChromium } from './browser';
import { startStudioServer, type StudioServerFixture } from './studio-server';

describe.skipIf(!hasChromium())('serve restarts under an open tab', () => {
  let studio: StudioServerFixture;
  let browser: Browser;
  let page: Page;
  let tokenFile: string;
  let sockets = 0;

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-restart-');
    tokenFile = tokenFileFor(join(studio.work, 'home'), join(studio.work, 'runs'));
    await studio.restart((await persistentToken(tokenFile)).token);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('websocket', () => sockets++);
    await page.goto(studio.server.url);
    await page.locator('[data-connection="open"]').waitFor();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('reconnects by itself when serve comes back with the kept token', async () => {
    const { token, reused } = await persistentToken(tokenFile);
    expect(reused).toBe(true);
    await studio.restart(token);
    await page.locator('[data-connection="closed"], [data-connection="connecting"]').waitFor({ timeout: 10_000 }).catch(() => undefined);
    await page.locator('[data-connection="open"]').waitFor({ timeout: 20_000 });
    await page.getByRole('heading', { name: 'Datasets' }).waitFor();
    expect(await page.getByTestId('token-refused').count()).toBe(0);
  });

  it('says the server restarted with a new token, and stops retrying', async () => {
    const { token } = await persistentToken(tokenFile, { rotate: true });
    await studio.restart(token);
    const note = page.getByTestId('token-refused');
    await note.waitFor({ timeout: 20_000 });
    expect(await note.textContent()).toContain('restarted with a new token');
    expect(await note.textContent()).toContain('Open the new URL');
    expect(await page.locator('[data-connection]').getAttribute('data-connection')).toBe('refused');
    const attempts = sockets;
    await page.waitForTimeout(6000);
    expect(sockets).toBe(attempts);
  });
});
