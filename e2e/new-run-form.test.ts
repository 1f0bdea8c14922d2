/**
 * The New-run form as a person fills it in: messages in words while typing
 * (never the schema's own text), "-8" kept as typed, a batch larger than the
 * dataset refused before Start, and model summaries that follow the
 * overrides the run will train with.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetSource } from '../src/main/data';
import type { StudioServer } from '../src/main/server';
import { hasChromium, openWatchedPage } from './browser';
import { startStudioServer, waitFor, waitForRunsCompleted, type StudioServerFixture } from './studio-server';

/** The "Total params" figure of the Generator/Discriminator summary table. */
async function totalParams(page: Page, title: 'Generator' | 'Discriminator'): Promise<number> {
  const text = await page.locator(`section[aria-label="${title} summary"] dd`).first().textContent();
  return Number(text?.replace(/,/g, ''));
}

describe.skipIf(!hasChromium())('New run form in Chromium against serve', () => {
  let studio: StudioServerFixture;
  let server: StudioServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let datasetId = '';

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-form-');
    ({ server } = studio);
    datasetId = (await server.service.importDataset(builtinDatasetSource(), { size: 16, maxImages: 50 })).manifest.id;
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 900 } }));
    await page.goto(`${server.url}#/new`);
    await page.locator('[data-connection="open"]').waitFor();
    await page.getByRole('radio', { name: /Tiny/ }).check({ force: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('keeps "-8" as typed and says what is wrong in words, as the user types', async () => {
    const epochs = page.getByLabel('Epochs', { exact: true });
    await epochs.pressSequentially('-8');
    expect(await epochs.inputValue()).toBe('-8');
    await page.getByText('Epochs must be at least 1.').waitFor();
    expect(await epochs.getAttribute('aria-invalid')).toBe('true');

    const batch = page.getByLabel('Batch size', { exact: true });
    await batch.fill('2.5');
    await page.getByText('Batch size must be a whole number.').waitFor();
    expect(await page.locator('main').textContent()).not.toMatch(/Invalid input|expected int|received number/);
    expect(await page.getByRole('button', { name: /Start training/ }).isDisabled()).toBe(true);
    await epochs.fill('2');
  });

  it('refuses a batch larger than the dataset before Start', async () => {
    await page.getByLabel('Batch size', { exact: true }).fill('64');
    await page.getByText('Batch size 64 is larger than the dataset (50 images): use 50 or less.').waitFor();
    expect(await page.getByRole('button', { name: /Start training/ }).isDisabled()).toBe(true);
    await page.getByLabel('Batch size', { exact: true }).fill('8');
    await expect.poll(() => page.getByRole('button', { name: /Start training/ }).isDisabled()).toBe(false);
  });

  it('shows the summaries of the models the run will train: latent size 64 adds 48 × 256 weights to the generator', async () => {
    // Folded by default (the form stays short); Show opens them.
    await page.getByRole('button', { name: 'Show' }).click();
    const generator = await totalParams(page, 'Generator');
    const discriminator = await totalParams(page, 'Discriminator');
    await page.getByLabel('Latent size', { exact: true }).fill('64');
    await expect.poll(() => totalParams(page, 'Generator'), { timeout: 15_000 }).toBe(generator + 48 * 256);
    expect(await totalParams(page, 'Discriminator')).toBe(discriminator);
    await page.getByLabel('Filter scale', { exact: true }).fill('2');
    await expect.poll(() => totalParams(page, 'Discriminator'), { timeout: 15_000 }).toBeGreaterThan(discriminator);
    expect(errors).toEqual([]);
  });

  it('names a variant’s deleted dataset, holds Start, and re-imports it from its recorded source', async () => {
    const run = await server.service.createRun({ name: 'parent', datasetId, config: { preset: 'tiny', epochs: 1, batchSize: 8 } });
    await waitForRunsCompleted(server.service, [run.id], 120_000);
    const name = (await server.service.listDatasets())[0]!.manifest.name;
    // The trainer exits just after it reports completion; until then the dataset is in use.
    await waitFor(() => server.service.deleteDataset(datasetId).then(() => true, () => false), 30_000);

    await page.goto(`${server.url}#/runs/${run.id}`);
    await page.getByRole('button', { name: 'New variant' }).first().click();
    await page.waitForURL(/#\/new$/);
    const gone = page.getByTestId('dataset-gone');
    await gone.waitFor();
    expect(await gone.textContent()).toContain(`“${name}”, the dataset “parent” trained on, has been deleted.`);
    expect(await gone.textContent()).toContain(builtinDatasetSource());
    const start = page.getByRole('button', { name: /Start training/ });
    expect(await start.isDisabled()).toBe(true);
    expect(await page.locator('main').textContent()).not.toContain(datasetId);

    await gone.getByRole('button', { name: `Re-import “${name}”` }).click();
    await gone.waitFor({ state: 'detached', timeout: 60_000 });
    await expect.poll(() => start.isDisabled()).toBe(false);
    const [again] = await server.service.listDatasets();
    expect(again!.manifest).toMatchObject({ count: 50, width: 16 });
    expect(await page.getByLabel('Dataset', { exact: true }).inputValue()).toBe(again!.manifest.id);

    // Unnamed, the variant is named after its preset, dataset and what differs from "parent", not an id.
    const runName = page.getByLabel('Run name', { exact: true });
    await expect.poll(() => runName.getAttribute('placeholder')).toBe('tiny · Fashion-MNIST');
    await page.getByLabel('Latent size', { exact: true }).fill('32');
    await expect.poll(() => runName.getAttribute('placeholder')).toBe('tiny · Fashion-MNIST · latent 32');
    // A backend by name (what auto skipped shows beside it, with a link to the Backends view).
    await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
    expect(await page.getByRole('link', { name: 'why this one?' }).getAttribute('href')).toBe('#/backends');
    await start.click();
    await page.waitForURL(/#\/runs\/.+/);
    await page.getByRole('heading', { name: /tiny · Fashion-MNIST · latent 32/ }).waitFor();
    const variant = (await server.service.listRuns()).find((r) => r.name === 'tiny · Fashion-MNIST · latent 32');
    expect(variant && 'config' in variant ? variant.config.backend : undefined).toBe('cpu');
    expect(errors).toEqual([]);
  });
});
