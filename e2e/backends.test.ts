/**
 * The Backends view in Chromium against serve: "why is my GPU not used?"
 * answered in the app — every backend of the chain with its verdict, auto's
 * pick marked, the WebGPU adapters — by the same doctor the CLI runs, in a
 * short-lived probe process behind the diagnoseBackends call.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_NAMES } from '../src/shared/backends';
import type { StudioServer } from '../src/main/server';
import { join } from 'node:path';
import { hasChromium, openWatchedPage, screenshotsDir } from './browser';
import { makePngZip } from './fixtures';
import { startStudioServer, type StudioServerFixture } from './studio-server';

describe.skipIf(!hasChromium())('Backends view in Chromium against serve', () => {
  let studio: StudioServerFixture;
  let server: StudioServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-backends-');
    ({ server } = studio);
    // A dataset first, so the first-launch import of the built-in 10,000 images stays out of this spec.
    await server.service.importDataset(await makePngZip(studio.work, 4));
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 900 } }));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('opens from the sidebar and lists every backend in chain order, with auto\'s pick marked', async () => {
    await page.goto(`${server.url}#/datasets`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backends' }).click();
    await page.waitForURL(/#\/backends$/);
    await page.getByRole('heading', { name: 'Backends', level: 1 }).waitFor();
    const verdicts = page.getByTestId('backend-verdict');
    await expect.poll(() => verdicts.count(), { timeout: 90_000 }).toBe(BACKEND_NAMES.length);
    expect(await verdicts.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-backend')))).toEqual([...BACKEND_NAMES]);

    // auto's pick is the backend new runs get (the sidebar's backend line), and it works.
    const auto = (await server.service.getAppInfo()).backend.name;
    expect(await page.getByTestId('doctor-auto').textContent()).toBe(auto);
    const picked = page.locator(`[data-testid="backend-verdict"][data-backend="${auto}"]`);
    expect(await picked.getAttribute('data-works')).toBe('true');
    expect(await picked.textContent()).toContain("auto's pick");
    expect(await page.locator('[data-testid="backend-verdict"]', { hasText: "auto's pick" }).count()).toBe(1);

    // This machine has no GPU: the summary says why training runs on the CPU, and tfjs-node-gpu carries its fixes.
    expect(await page.getByTestId('doctor-summary').textContent()).toMatch(/^No GPU backend works/);
    const gpu = page.locator('[data-testid="backend-verdict"][data-backend="tfjs-node-gpu"]');
    expect(await gpu.textContent()).toContain('does not load');
    expect(await gpu.getByRole('list', { name: 'How to fix tfjs-node-gpu' }).getByRole('listitem').count()).toBeGreaterThan(0);
    // llvmpipe (CI) is listed as a software adapter that works but auto skips; without a Vulkan driver webgpu does not load.
    const webgpu = page.locator('[data-testid="backend-verdict"][data-backend="webgpu"]');
    if ((await webgpu.getAttribute('data-works')) === 'true') {
      expect(await webgpu.textContent()).toContain('works (software adapter)');
      expect(await webgpu.textContent()).toContain('auto skips it: only a software adapter');
      expect(await page.getByTestId('webgpu-adapter').first().textContent()).toContain('software');
    } else {
      expect(await webgpu.textContent()).toContain('does not load');
    }
    await page.screenshot({ path: join(screenshotsDir, 'backends.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);

  it('is linked from the sidebar\'s backend line, and "Check again" diagnoses afresh', async () => {
    await page.goto(`${server.url}#/runs`);
    await page.locator('aside a.backend').click();
    await page.waitForURL(/#\/backends$/);
    const again = page.getByRole('button', { name: 'Check again' });
    await expect.poll(() => again.isEnabled(), { timeout: 90_000 }).toBe(true);
    await again.click();
    // Disabled while the probe process diagnoses (seconds: every backend is loaded and smoke-tested).
    await expect.poll(() => again.isDisabled(), { timeout: 5_000 }).toBe(true);
    expect(await page.getByRole('region', { name: 'Verdict' }).getAttribute('aria-busy')).toBe('true');
    await expect.poll(() => again.isEnabled(), { timeout: 90_000 }).toBe(true);
    expect(await page.getByTestId('backend-verdict').count()).toBe(BACKEND_NAMES.length);
    expect(errors).toEqual([]);
  }, 200_000);
});
