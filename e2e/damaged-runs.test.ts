/**
 * A runs folder holding damaged runs, as the Runs view shows it in Chromium
 * against `serve`: the good run is listed, each damaged run.json is a row with
 * its reason, and Delete removes the damaged folder (confirmed first). A run
 * whose metrics.jsonl has a garbled line is listed and opens with a note.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../src/shared/config';
import { makeFixtureRun } from '../src/main/export/test-fixtures';
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
    const garbled = await makeFixtureRun(runsRoot, { id: 'garbled-metrics', name: 'garbled metrics', epochs: 3 });
    const lines = (await readFile(join(garbled, 'metrics.jsonl'), 'utf8')).split('\n');
    lines[4] = '{"step":5,"gen_lo\u0000ss';
    await writeFile(join(garbled, 'metrics.jsonl'), lines.join('\n'));
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

  it('lists a run with a garbled metrics line as it is, with the note, and opens it with every good step', async () => {
    const note = 'metrics.jsonl: line 5 is damaged and was skipped (11 good records kept).';
    await page.goto(`${studio.server.url}#/runs`);
    const row = page.locator('[data-run-id="garbled-metrics"]');
    await expect.poll(() => row.locator('[data-testid="run-damage"]').textContent()).toContain(note);
    expect(await row.locator('.badge').first().textContent()).toBe('completed');
    await row.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="damage-notes"]').textContent()).toContain(note);
    expect(await page.locator('[data-testid="run-status"]').textContent()).toBe('completed');
    expect(await page.locator('[data-testid="step"]').textContent()).toBe('12');
    expect(errors).toEqual([]);
  });
});
