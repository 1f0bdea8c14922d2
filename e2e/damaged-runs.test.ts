/**
 * A runs folder holding damaged runs, as the Runs view shows it in Chromium
 * against `serve`: the good run is listed, each damaged run.json is a row with
 * its reason, and Delete removes the damaged folder (confirmed first).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../src/shared/config';
import { createRunDir } from '../src/main/runs';
import { hasChromium, openWatchedPage } from './browser';
import { startStudioServer, type StudioServerFixture } from './studio-server';

describe.skipIf(!hasChromium())('damaged runs in the Runs view (Chromium against serve)', () => {
  let studio: StudioServerFixture;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let runsRoot = '';

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-damaged-');
    runsRoot = join(studio.work, 'runs');
    await createRunDir(runsRoot, {
      id: 'good-run',
      name: 'good run',
      config: resolveTrainingConfig({ preset: 'tiny', seed: 1 }),
      dataset: { id: 'd', name: 'digits', fingerprint: 'f', dir: join(studio.work, 'datasets', 'd') },
    });
    for (const [id, text] of [
      ['garbage', '{"version": 1, "id": "garb'],
      ['escape', JSON.stringify({ version: 1, id: '../../etc' })],
    ]) {
      await mkdir(join(runsRoot, id!), { recursive: true });
      await writeFile(join(runsRoot, id!, 'run.json'), text!);
    }
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 900 } }));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('lists the good run and each damaged one with its reason, and deletes a damaged one', async () => {
    await page.goto(`${studio.server.url}#/runs`);
    await page.locator('[data-connection="open"]').waitFor();
    await expect.poll(() => page.locator('[data-run-id="good-run"]').count()).toBe(1);
    const garbage = page.locator('[data-run-id="garbage"]');
    await expect.poll(() => garbage.textContent()).toMatch(/damaged.*run\.json is not valid JSON/s);
    expect(await page.locator('[data-run-id="escape"]').textContent()).toMatch(/not a valid run record: .*id/);

    await garbage.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete run' }).click();
    await expect.poll(() => garbage.count()).toBe(0);
    expect(existsSync(join(runsRoot, 'garbage'))).toBe(false);
    expect(await page.locator('[data-run-id="good-run"]').count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
