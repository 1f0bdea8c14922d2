/**
 * The desktop app's GPU window path end to end, short of Electron: the studio
 * (serve's StudioService and RunManager) launches trainers through the same
 * router the app uses, so a webgpu run trains in a GPU host page — in a
 * WebGPU-enabled Chromium on SwiftShader — while an auto run trains in a Node
 * trainer process; the studio UI in a second browser shows the webgpu run
 * like any other.
 */
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGpuHostConnection } from '../src/main/gpu-host/host-connection';
import { routeTrainersByBackend } from '../src/main/training/backend-routed-launcher';
import { spawnTrainerProcess } from '../src/main/training/trainer-process';
import { hasChromium, openWatchedPage, waitForImage } from './browser';
import { makePngZip } from './fixtures';
import { gpuHostPageIn, launchWebgpuChromium, serveRenderer } from './gpu-host-page';
import { startStudioServer, waitForRunsCompleted, type StudioServerFixture } from './studio-server';

describe.skipIf(!hasChromium())("the desktop app's GPU window behind the studio's own run manager", () => {
  let gpuBrowser: Browser;
  let gpuPages: Server;
  let studio: StudioServerFixture;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let opened = 0;

  beforeAll(async () => {
    gpuBrowser = await launchWebgpuChromium();
    const served = await serveRenderer();
    gpuPages = served.server;
    studio = await startStudioServer('gan-studio-gpu-window-', {
      launcher: routeTrainersByBackend({
        standard: () => spawnTrainerProcess(),
        webgpu: () => {
          opened += 1;
          return createGpuHostConnection(gpuHostPageIn(gpuBrowser, served.origin));
        },
      }),
    });
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 900 } }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
    await gpuBrowser?.close();
    gpuPages?.close();
  });

  it('trains a webgpu run in the window and an auto run in a trainer process; the UI shows both alike', async () => {
    const { service } = studio.server;
    const dataset = await service.importDataset(await makePngZip(studio.work, 16), { channels: 1 });
    const config = { preset: 'tiny' as const, epochs: 2, batchSize: 8, seed: 3, scoreEvery: 0 };
    const webgpu = await service.createRun({ name: 'in the GPU window', datasetId: dataset.manifest.id, config: { ...config, backend: 'webgpu' } });
    const auto = await service.createRun({ name: 'in a trainer process', datasetId: dataset.manifest.id, config });
    await waitForRunsCompleted(service, [webgpu.id, auto.id], 240_000);
    expect(opened).toBe(1);

    const detail = await service.getRun(webgpu.id);
    expect(detail.run.backend).toMatchObject({ name: 'webgpu', device: expect.stringMatching(/in the app's Chromium$/) });
    expect((await service.getRun(auto.id)).run.backend?.name).not.toBe('webgpu');
    expect(detail.epochs.map((epoch) => epoch.epoch)).toEqual([1, 2]);

    await page.goto(`${studio.server.url}#/runs/${webgpu.id}`);
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 30_000 }).toBe('completed');
    expect(await waitForImage(page, '[data-testid="sample-grid"]')).toBeGreaterThan(0);
    await expect.poll(() => page.getByText(/Trained on webgpu · GPU \(WebGPU: .* in the app's Chromium/).count()).toBe(1);
    expect(errors).toEqual([]);
  }, 300_000);
});
