/**
 * Quality scores and the verdict in Chromium against `serve`: two real tiny
 * runs scored every epoch (small sample), the run page's "is it learning?"
 * headline and score charts, the newest scores in the Runs list, a sentence
 * per score in Compare (one seed each: it only leans, with no "better" badge),
 * and "Repeat with seeds" adding the seeds each arm lacks.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/shared/api';
import type { StudioServer } from '../src/main/server';
import { hasChromium, openWatchedPage, screenshotsDir } from './browser';
import { makePngZip } from './fixtures';
import { startStudioServer, waitForRunsCompleted, type StudioServerFixture } from './studio-server';

const EPOCHS = 2;
const SAMPLE = 16;

describe.skipIf(!hasChromium())('quality scores and verdict in Chromium against serve', () => {
  let studio: StudioServerFixture;
  let server: StudioServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let baseline: RunSummary;

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-verdict-');
    server = studio.server;
    const dataset = await server.service.importDataset(await makePngZip(studio.work, 32), { channels: 1 });
    const common = { preset: 'tiny' as const, epochs: EPOCHS, batchSize: 8, seed: 11, scoreEvery: 1, scoreSampleSize: SAMPLE };
    baseline = await server.service.createRun({ name: 'baseline', datasetId: dataset.manifest.id, config: common });
    const variant = await server.service.createRun({ name: 'faster G', datasetId: dataset.manifest.id, config: { ...common, generatorLearningRate: 0.004 } });
    await waitForRunsCompleted(server.service, [baseline.id, variant.id], 300_000);
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1440, height: 960 }, deviceScaleFactor: 1 }));
    await mkdir(screenshotsDir, { recursive: true });
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('the run page says whether it is learning, with n, and charts every score', async () => {
    const detail = await server.service.getRun(baseline.id);
    expect(detail.scores.map((r) => r.epoch)).toEqual([1, 2]);
    await page.goto(`${server.url}#/runs/${baseline.id}`);
    const headline = page.getByTestId('score-headline');
    await expect.poll(() => headline.textContent(), { timeout: 30_000 }).toMatch(new RegExp(`at epoch ${EPOCHS}.*n = ${SAMPLE}.*epoch 1`));
    // One chart per score the run has, each named for assistive technology.
    for (const name of Object.keys(detail.scores.at(-1)!.scores)) {
      await expect.poll(() => page.getByTestId(`score-chart-${name}`).count()).toBe(1);
    }
    expect(await page.getByRole('region', { name: 'Quality scores' }).textContent()).toContain(`${SAMPLE} generated images`);
    await page.screenshot({ path: join(screenshotsDir, 'run-scores.png'), fullPage: true });
  });

  it('the Runs list shows each run’s newest scores with n', async () => {
    await page.goto(`${server.url}#/runs`);
    const row = page.locator(`[data-run-id="${baseline.id}"]`);
    await expect.poll(() => row.getByTestId('latest-scores').textContent(), { timeout: 30_000 }).toContain(`n${SAMPLE} · epoch ${EPOCHS}`);
    await page.screenshot({ path: join(screenshotsDir, 'runs-scores.png') });
  });

  it('Compare overlays the scores and states one verdict sentence per score against the baseline', async () => {
    await page.goto(`${server.url}#/compare`);
    await page.getByRole('checkbox', { name: /baseline/ }).check();
    await page.getByRole('checkbox', { name: /faster G/ }).check();
    const sentences = page.getByTestId('verdict-sentence');
    await expect.poll(() => sentences.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const texts = await sentences.allTextContents();
    // One seed each: never "beats" and never a "better" badge — only which way it leans, and a way to get seeds.
    for (const text of texts) {
      expect(text).toMatch(new RegExp(`^faster G (leans (lower|higher) on .+ than baseline|ties with baseline on .+) at epoch ${EPOCHS}: .+\\(1 seed each; (lower|higher) is better\\)\\. Not a verdict: that needs 3 seeds per arm — repeat with seeds\\.$`));
    }
    const verdict = page.getByTestId('verdict');
    expect(await verdict.locator('.kind').allTextContents()).toEqual(texts.map(() => 'leans · too few seeds'));
    expect(await verdict.textContent()).toContain('Baseline “baseline”: 1 seed');
    expect(await page.getByTestId('verdict-rule').textContent()).toContain("Welch's t-test");
    expect(await verdict.getByRole('button', { name: 'Repeat with seeds: 4 more runs, 3 seeds per arm' }).count()).toBe(1);
    expect(await page.locator('[data-testid^="score-chart-"]').count()).toBeGreaterThan(0);

    // Marking the other run as baseline turns the sentences around.
    await page.getByRole('combobox', { name: 'Baseline' }).selectOption({ label: 'faster G' });
    await expect.poll(async () => (await sentences.allTextContents()).every((t) => !t.startsWith('faster G'))).toBe(true);
    await page.screenshot({ path: join(screenshotsDir, 'compare-verdict.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('Repeat with seeds adds a run of the same config with a new seed', async () => {
    await page.goto(`${server.url}#/runs/${baseline.id}`);
    await page.getByRole('spinbutton', { name: 'Seeds' }).fill('1');
    await page.getByRole('button', { name: 'Repeat with 1 more seed' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 30_000 }).toContain('baseline · seed 12');
    const runs = (await server.service.listRuns()).filter((r): r is RunSummary => r.status !== 'damaged');
    const repeat = runs.find((r) => r.name === 'baseline · seed 12')!;
    expect({ ...repeat.config, seed: 11 }).toEqual(baseline.config);
    await server.service.stopRun(repeat.id);

    // In Compare the repeat joins the baseline's arm (no scores yet), and each arm is offered the seeds it lacks (3 per arm).
    await page.goto(`${server.url}#/compare`);
    await page.getByRole('checkbox', { name: /^baseline tiny/ }).check();
    await page.getByRole('checkbox', { name: /^faster G tiny/ }).check();
    const verdict = page.getByTestId('verdict');
    await expect.poll(() => verdict.textContent(), { timeout: 30_000 }).toContain('Baseline “baseline”: 2 seeds');
    expect(await verdict.textContent()).toContain('baseline · seed 12 · seed 12, no scores yet');
    await verdict.getByRole('button', { name: 'Repeat with seeds: 3 more runs, 3 seeds per arm' }).click();
    await expect.poll(() => verdict.getByRole('status').textContent(), { timeout: 30_000 }).toContain('Added 3 runs');
    const added = (await server.service.listRuns()).filter((r) => / · seed 1[23]$/.test(r.name) && r.name !== 'baseline · seed 12');
    expect(added.map((r) => r.name).sort()).toEqual(['baseline · seed 13', 'faster G · seed 12', 'faster G · seed 13']);
    for (const run of added) await server.service.stopRun(run.id);
    expect(errors).toEqual([]);
  });
});
