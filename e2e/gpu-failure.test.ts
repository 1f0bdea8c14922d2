/**
 * A run whose GPU was lost mid-run, as the studio shows it in Chromium
 * against `serve`: the failure is real (a tiny run trained on WebGPU —
 * llvmpipe in CI — whose device is destroyed at step 5), the run page shows
 * it with the checkpoint a resume continues from, and "Resume on wasm"
 * finishes the run on the CPU through a real trainer process.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../src/shared/config';
import { readRunRecord } from '../src/main/runs';
import { TrainingControl } from '../src/main/training/control';
import { writeSquaresDataset } from '../src/main/common/test-support';
import { checkWebgpuForTests } from '../src/main/backend/webgpu/test-availability';
import { runTrainer } from '../src/main/training/trainer-run';
import { hasChromium, openWatchedPage } from './browser';
import { startStudioServer, type StudioServerFixture } from './studio-server';

const availability = hasChromium() ? await checkWebgpuForTests() : undefined;
const adapter = availability?.run ? availability.adapter : undefined;

describe.skipIf(!adapter)('a lost GPU in the run page (Chromium against serve)', () => {
  const runId = 'gpu-lost';
  let studio: StudioServerFixture;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let runDir = '';

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-gpu-lost-');
    runDir = join(studio.work, 'runs', runId);
    const datasetDir = await writeSquaresDataset(join(studio.work, 'datasets', 'squares'), 16);
    // Forced onto webgpu, as New run's backend menu does; 2 steps an epoch, 3 epochs.
    const config = resolveTrainingConfig({ preset: 'tiny', seed: 5, batchSize: 8, epochs: 3, earlySampleSteps: [], scoreEvery: 0, backend: 'webgpu' });
    const destroyAtStep5 = (event: { type: string; steps?: { step: number }[] }) => {
      if (event.type === 'steps' && event.steps?.at(-1)?.step === 5) (tf.backend() as unknown as { device: { destroy(): void } }).device.destroy();
    };
    const end = await runTrainer({ type: 'start', runDir, datasetDir, config, resume: false }, destroyAtStep5, new TrainingControl());
    expect(end).toMatchObject({ type: 'failed', kind: 'gpu-device-lost' });
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 900 } }));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('shows the failure with where a resume continues, and Resume on wasm trains the run to the end', async () => {
    await page.goto(`${studio.server.url}#/runs/${runId}`);
    const failure = page.getByTestId('failure');
    await failure.waitFor({ timeout: 30_000 });
    const text = await failure.textContent();
    expect(text).toContain('The GPU stopped working');
    expect(text).toContain('WebGPU lost its device');
    expect(text).toContain('Resuming continues from checkpoint step-00000004 (end of epoch 2, step 4)');
    expect(text).toMatch(/If the GPU keeps failing, resume on the CPU \(wasm\) instead/);

    await failure.getByRole('button', { name: 'Resume on wasm' }).click();
    const status = page.getByTestId('run-status');
    await expect.poll(() => status.textContent(), { timeout: 120_000 }).toBe('completed');
    await expect.poll(() => page.getByText(/Trained on wasm/).count()).toBe(1);
    const record = await readRunRecord(runDir);
    expect(record).toMatchObject({ status: 'completed', step: 6, backend: { name: 'wasm' }, config: { backend: 'wasm' } });
    expect(errors).toEqual([]);
  });
});
