/**
 * The Backends view in Chromium against serve: "why is my GPU not used?"
 * answered in the app — every backend of the chain with its verdict, auto's
 * pick marked, the WebGPU adapters — by the same doctor the CLI runs, in a
 * short-lived probe process behind the diagnoseBackends call. Then the
 * desktop app's report, with its GPU window section.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_NAMES } from '../src/shared/backends';
import { diagnoseDesktopBackends } from '../src/main/gpu-host/desktop-doctor';
import { askGpuWindow } from '../src/main/gpu-host/gpu-window-probe';
import type { StudioServer } from '../src/main/server';
import { diagnoseBackendsInChild } from '../src/main/studio-service/probe';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { hasChromium, openWatchedPage, screenshotsDir } from './browser';
import { makePngZip } from './fixtures';
import { launchWebgpuChromium, openGpuHostPage, serveRenderer } from './gpu-host-page';
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

    // It leads with what trains here and how fast (real steps of quick, timed by the doctor).
    expect(await page.getByTestId('doctor-lead').textContent()).toMatch(new RegExp(`^\\s*Trains here: ${auto}, about [\\d,]+ images/s \\(quick preset, batch 64\\)`));
    // This machine has no GPU: the summary says why training runs on the CPU, and tfjs-node-gpu says "no NVIDIA GPU" once.
    expect(await page.getByTestId('doctor-summary').textContent()).toMatch(/^No GPU backend works/);
    const gpu = page.locator('[data-testid="backend-verdict"][data-backend="tfjs-node-gpu"]');
    expect(await gpu.textContent()).toContain('does not load');
    const gpuFixes = gpu.getByRole('list', { name: 'How to fix tfjs-node-gpu' }).getByRole('listitem');
    expect(await gpuFixes.allTextContents()).toEqual([expect.stringMatching(/^no NVIDIA GPU here/)]);
    expect((await page.locator('main').textContent())?.split('no NVIDIA GPU here').length).toBe(2);
    expect(await page.getByRole('region', { name: 'CUDA for tfjs-node-gpu' }).count()).toBe(0);
    // The studio speaks of its own Backend setting, never a CLI flag, and explains webgpu once.
    expect(await page.locator('main').textContent()).not.toContain('--backend');
    // llvmpipe (CI) is listed as a software adapter that works but auto skips; without a Vulkan driver webgpu does not load.
    const webgpu = page.locator('[data-testid="backend-verdict"][data-backend="webgpu"]');
    if ((await webgpu.getAttribute('data-works')) === 'true') {
      expect(await webgpu.textContent()).toContain('works (software adapter)');
      expect(await webgpu.textContent()).toContain('auto skips it: only a software adapter');
      expect(await webgpu.getByTestId('force-hint').textContent()).toBe('To train on it anyway, choose webgpu as the Backend in New run.');
      expect((await webgpu.textContent())?.match(/slower than wasm/g)).toHaveLength(1);
      expect(await page.getByTestId('webgpu-adapter').first().textContent()).toContain('software');
    } else {
      expect(await webgpu.textContent()).toContain('does not load');
    }
    // serve has no GPU window: its section is the desktop app's only.
    expect(await page.getByTestId('gpu-window').count()).toBe(0);
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

/**
 * The desktop app's doctor without Electron: the same join the app makes
 * (diagnoseDesktopBackends) of the probe process's report and a real GPU
 * window — the GPU host page in a second, WebGPU-enabled Chromium, where
 * SwiftShader passes the smoke op — shown by the Backends view.
 */
describe.skipIf(!hasChromium())("Backends view with the desktop app's GPU window (SwiftShader in Chromium)", () => {
  let studio: StudioServerFixture;
  let gpuBrowser: Browser;
  let renderer: Server;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    const served = await serveRenderer();
    renderer = served.server;
    gpuBrowser = await launchWebgpuChromium();
    studio = await startStudioServer('gan-studio-backends-window-', {
      diagnoseBackends: () => diagnoseDesktopBackends(diagnoseBackendsInChild, async () => askGpuWindow(await openGpuHostPage(gpuBrowser, served.origin))),
    });
    await studio.server.service.importDataset(await makePngZip(studio.work, 4));
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 900 } }));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await gpuBrowser?.close();
    renderer?.close();
    await studio?.close();
  });

  it('shows the window\'s software adapter: works, auto skips it, how to train there anyway; auto stays on the CPU', async () => {
    await page.goto(`${studio.server.url}#/backends`);
    const section = page.getByTestId('gpu-window');
    await section.waitFor({ timeout: 150_000 });
    expect(await section.getByRole('heading', { level: 2 }).textContent()).toBe("GPU window (Chromium's WebGPU, desktop app)");
    expect(await page.getByTestId('gpu-window-adapter').textContent()).toMatch(/ — software/);
    const verdict = page.getByTestId('gpu-window-verdict');
    expect(await verdict.getAttribute('data-works')).toBe('true');
    expect(await verdict.textContent()).toContain('works (software adapter)');
    expect(await verdict.textContent()).toContain('auto skips it: only a software adapter: slower than wasm');
    expect(await verdict.textContent()).toMatch(/software adapter\) in the app's Chromium/);
    expect(await verdict.textContent()).not.toContain("auto's pick");
    const fixes = verdict.getByRole('list', { name: 'How to fix webgpu' }).getByRole('listitem');
    expect(await fixes.first().textContent()).toBe('to train in the GPU window anyway, choose webgpu as the Backend in New run');

    // The window does not train on software, so auto's pick is still one of the trainer process's backends, and it works.
    const auto = await page.getByTestId('doctor-auto').textContent();
    expect(auto).not.toBe('webgpu');
    const picked = page.locator('[data-testid="backend-verdict"]', { hasText: "auto's pick" });
    expect(await picked.count()).toBe(1);
    expect(await picked.getAttribute('data-backend')).toBe(auto);
    expect(await page.getByTestId('doctor-summary').textContent()).toMatch(/^No GPU backend works on a hardware GPU: webgpu works only on a software adapter/);
    await section.screenshot({ path: join(screenshotsDir, 'backends-gpu-window.png') });
    expect(errors).toEqual([]);
  }, 200_000);
});
