/**
 * axe-core on every view, light and dark: zero violations. The views are
 * filled with real content first (a dataset, two finished runs, a
 * comparison), so the rules see what a user sees. Plus the skip link.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetSource } from '../src/main/data';
import type { StudioServer } from '../src/main/server';
import { hasChromium, openWatchedPage, waitForImage } from './browser';
import { startStudioServer, waitForRunsCompleted, type StudioServerFixture } from './studio-server';

/** axe-core's source, evaluated through the DevTools protocol: a <script> tag would (rightly) meet the page's CSP. */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Run axe-core in the page; one line per failing node, so a failure says where. */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: unknown[] }> } }).axe;
    // label-content-name-mismatch (WCAG 2.5.3, label in name) is off by default in axe: on here.
    return (await axe.run(document, { resultTypes: ['violations'], rules: { 'label-content-name-mismatch': { enabled: true } } })).violations;
  });
  return (found as Violation[]).flatMap((v) => v.nodes.map((n) => `${v.id} (${v.help}) at ${n.target.join(' ')}: ${n.failureSummary ?? ''}`));
}

describe.skipIf(!hasChromium())('accessibility (axe-core) in Chromium against serve', () => {
  let studio: StudioServerFixture;
  let server: StudioServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let runIds: string[] = [];

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-a11y-');
    ({ server } = studio);
    const dataset = await server.service.importDataset(builtinDatasetSource(), { size: 16, maxImages: 64 });
    const config = { preset: 'tiny' as const, epochs: 1, batchSize: 8, seed: 1 };
    const a = await server.service.createRun({ name: 'baseline', datasetId: dataset.manifest.id, config });
    await waitForRunsCompleted(server.service, [a.id], 120_000);
    const b = await server.service.createRun({ name: 'variant', datasetId: dataset.manifest.id, config: { ...config, latentDim: 32 } });
    await waitForRunsCompleted(server.service, [b.id], 120_000);
    runIds = [a.id, b.id];
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 900 } }));
    await page.goto(server.url);
    await page.locator('[data-connection="open"]').waitFor();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  /** Each view, brought to the state worth checking. */
  const views: [string, () => Promise<void>][] = [
    ['Datasets', async () => {
      await page.goto(`${server.url}#/datasets`);
      await waitForImage(page, 'section[aria-label="Import report"] img');
    }],
    ['New run', async () => {
      await page.goto(`${server.url}#/new`);
      await page.getByRole('button', { name: 'Show' }).click(); // the summaries, folded by default, checked open
      await page.locator('section[aria-label="Generator summary"]').waitFor();
      await page.getByLabel('Epochs', { exact: true }).fill('-1'); // an error message on show too
    }],
    ['Runs', async () => {
      await page.goto(`${server.url}#/runs`);
      await waitForImage(page, `[data-run-id="${runIds[0]}"] img`);
    }],
    ['Run', async () => {
      await page.goto(`${server.url}#/runs/${runIds[0]}`);
      await waitForImage(page, '[data-testid="sample-grid"]');
    }],
    ['Run with a finished export', async () => {
      await page.goto(`${server.url}#/runs/${runIds[0]}`);
      await page.getByLabel('Export format').selectOption('png');
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      await page.getByTestId('export-link').first().waitFor({ timeout: 60_000 });
    }],
    ['Compare', async () => {
      await page.goto(`${server.url}#/compare`);
      for (const name of ['baseline', 'variant']) await page.getByRole('checkbox', { name: new RegExp(name) }).check();
      await waitForImage(page, '[data-testid="compare-grid"]');
    }],
    ['Backends', async () => {
      await page.goto(`${server.url}#/backends`);
      await page.getByTestId('doctor-summary').waitFor({ timeout: 90_000 });
    }],
    ['Generate', async () => {
      await page.goto(`${server.url}#/generate/${runIds[0]}`);
      await page.getByRole('button', { name: 'Draw' }).click();
      await waitForImage(page, '[data-testid="generated-grid"]');
      await page.getByRole('button', { name: 'Interpolate' }).click();
      await waitForImage(page, '[data-testid="interpolation-strip"]');
    }],
  ];

  for (const scheme of ['light', 'dark'] as const) {
    for (const [name, open] of views) {
      it(`${name} has no axe violations (${scheme})`, async () => {
        await page.emulateMedia({ colorScheme: scheme });
        await open();
        await page.waitForTimeout(300); // let transitions and charts settle
        expect(await violations(page)).toEqual([]);
      });
    }
  }

  it('offers a skip link first in tab order that moves focus to the main content', async () => {
    await page.goto(`${server.url}#/runs`);
    await page.reload();
    await page.locator('[data-connection="open"]').waitFor();
    await page.keyboard.press('Tab');
    const link = page.getByRole('link', { name: 'Skip to content' });
    expect(await link.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await link.isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(errors).toEqual([]);
  });
});
