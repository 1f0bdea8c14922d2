/**
 * The desktop app's GPU trainer window, in real Chromium: the trainer's own
 * modules train on Chromium's WebGPU (SwiftShader here) while every file goes
 * through the host's HostFiles, and the host supervises it as a
 * TrainerConnection. The run it writes is an ordinary run: checkpoints pass
 * their integrity check and a Node trainer on wasm resumes it to the end.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../src/shared/config';
import type { DatasetManifest } from '../src/shared/dataset';
import type { TrainerEvent } from '../src/shared/trainer-protocol';
import { desktopBackendReport } from '../src/main/gpu-host/desktop-backend';
import { askGpuWindow } from '../src/main/gpu-host/gpu-window-probe';
import { createGpuHostConnection } from '../src/main/gpu-host/host-connection';
import { CLASSIFIER_DIR } from '../src/main/scores/feature-network';
import { readRunMetrics, readRunRecord } from '../src/main/runs';
import { RUN_LOCK_FILE } from '../src/main/runs/run-lock';
import { latestCompleteCheckpoint } from '../src/main/training/checkpoint';
import { TrainingControl } from '../src/main/training/control';
import { writeSquaresDataset } from '../src/main/common/test-support';
import type { TrainerExit } from '../src/main/training/trainer-connection';
import { runTrainer } from '../src/main/training/trainer-run';
import { hasChromium } from './browser';
import { destroyGpuDevices, launchWebgpuChromium, openGpuHostPage, serveRenderer } from './gpu-host-page';
import { ensureRendererBuilt } from './renderer-build';

// 40 images, batch 4: 10 steps an epoch; scored every epoch, so the dataset's feature network is trained and cached through the host.
const config = resolveTrainingConfig({ preset: 'tiny', seed: 21, batchSize: 4, epochs: 3, gridRows: 1, gridCols: 2, earlySampleSteps: [], scoreEvery: 1, scoreSampleSize: 10 });

/** Two classes (first and second half), so scoring trains the dataset's classifier and caches it in the dataset folder. */
async function labelInHalves(dir: string, count: number): Promise<void> {
  await writeFile(join(dir, 'labels.u8'), Uint8Array.from({ length: count }, (_, i) => (i < count / 2 ? 0 : 1)));
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as DatasetManifest;
  const labelled = { ...manifest, hasLabels: true, classNames: ['first', 'second'], classCounts: [count / 2, count / 2] };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(labelled));
}

let browser: Browser;
let server: Server;
let origin: string;
let root: string;
let datasetDir: string;

describe.skipIf(!hasChromium())("GPU host page: the trainer on Chromium's WebGPU, files through the host", () => {
  beforeAll(async () => {
    await ensureRendererBuilt();
    ({ origin, server } = await serveRenderer());
    browser = await launchWebgpuChromium();
    root = await mkdtemp(join(tmpdir(), 'gpu-host-'));
    datasetDir = await writeSquaresDataset(join(root, 'dataset'), 40);
    await labelInHalves(datasetDir, 40);
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** One page session; `onEvent` may steer it. Resolves at its exit. */
  async function session(runDir: string, resume: boolean, steer: (event: TrainerEvent, controls: { stop(): void; closePage(): void; loseGpu(): void }) => void) {
    const page = await openGpuHostPage(browser, origin);
    const connection = createGpuHostConnection(page);
    const events: TrainerEvent[] = [];
    const controls = { stop: () => connection.send({ type: 'stop' }), closePage: () => void page.page.close(), loseGpu: () => void destroyGpuDevices(page.page) };
    connection.onEvent((event) => {
      events.push(event);
      steer(event, controls);
    });
    const exit = new Promise<TrainerExit>((resolve) => connection.onExit(resolve));
    connection.send({ type: 'start', runDir, datasetDir, config, resume, backend: 'webgpu' });
    return { events, exit: await exit, errors: page.errors };
  }

  it('trains on webgpu, writes an ordinary run that a Node trainer resumes on wasm, and resumes it back', async () => {
    const runDir = join(root, 'run-resumed');
    const first = await session(runDir, false, (event, { stop }) => event.type === 'epoch' && event.metrics.epoch === 1 && stop());
    const failed = first.events.find((event) => event.type === 'failed');
    expect(failed, JSON.stringify(failed)).toBeUndefined();
    expect(first.exit).toEqual({ code: 0, signal: null });
    expect(first.errors).toEqual([]);

    const started = first.events.find((event) => event.type === 'started');
    expect(started?.type === 'started' && started.backend.name).toBe('webgpu');
    expect(started?.type === 'started' && started.backend.device).toMatch(/^GPU \(WebGPU: .*software adapter\) in the app's Chromium$/);
    expect(first.events.at(-1)).toMatchObject({ type: 'finished', reason: 'stopped' });
    const checkpoint = first.events.find((event) => event.type === 'checkpoint');
    expect(checkpoint).toMatchObject({ type: 'checkpoint', epoch: 1, dir: 'checkpoints/step-00000010' });

    // The files the host wrote for the page: a run like any other.
    expect((await readRunRecord(runDir)).status).toBe('stopped');
    const steps = (await readRunMetrics(runDir)).steps;
    expect(steps.map((step) => step.step)).toEqual(Array.from({ length: steps.length }, (_, i) => i + 1));
    expect(steps.length).toBeGreaterThanOrEqual(10);
    expect(steps.every((step) => Number.isFinite(step.disc_loss) && Number.isFinite(step.gen_loss))).toBe(true);
    const grid = await sharp(await readFile(join(runDir, 'samples', 'epoch-0001.png'))).metadata();
    expect([grid.format, grid.width! > 16]).toEqual(['png', true]);
    const saved = await latestCompleteCheckpoint(runDir); // checks every file's SHA-256
    expect(saved?.state.step).toBe(steps.length);
    expect(await readdir(runDir)).not.toContain(RUN_LOCK_FILE);

    expect(first.events.some((event) => event.type === 'scores')).toBe(true);
    expect(await readdir(datasetDir)).toContain(CLASSIFIER_DIR); // the feature network's cache, written by the host

    const control = new TrainingControl();
    const stopAfterEpoch2 = (event: TrainerEvent) => event.type === 'epoch' && event.metrics.epoch === 2 && control.stop();
    const second = await runTrainer({ type: 'start', runDir, datasetDir, resume: true, backend: 'wasm' }, stopAfterEpoch2, control);
    expect(second).toMatchObject({ type: 'finished', reason: 'stopped', epoch: 2, step: 20 });

    const third = await session(runDir, true, () => undefined);
    expect(third.exit).toEqual({ code: 0, signal: null });
    expect(third.events.find((event) => event.type === 'started')).toMatchObject({ startEpoch: 2, startStep: 20 });
    expect(third.events.at(-1)).toMatchObject({ type: 'finished', reason: 'completed', epoch: 3, step: 30 });
    expect((await readRunMetrics(runDir)).steps.map((step) => step.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect((await readRunRecord(runDir)).status).toBe('completed');
  }, 300_000); // three sessions (webgpu, wasm in Node, webgpu again) with scores: 125–135 s on a busy 2-core machine

  it('a page that dies mid-run ends its connection like a killed trainer, and the run lock is let go', async () => {
    const runDir = join(root, 'run-killed');
    const killed = await session(runDir, false, (event, { closePage }) => event.type === 'steps' && closePage());
    expect(killed.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await readdir(runDir)).not.toContain(RUN_LOCK_FILE);
  });

  it("answers whether webgpu can train in the window: SwiftShader passes the smoke op, but auto skips a software adapter", async () => {
    const page = await openGpuHostPage(browser, origin);
    const finding = await askGpuWindow(page);
    expect(finding.error).toBeNull();
    expect(finding.adapter).toMatchObject({ software: true });
    expect(finding.report).toMatchObject({ name: 'webgpu', device: expect.stringMatching(/software adapter\) in the app's Chromium$/) });
    await expect.poll(() => page.page.isClosed()).toBe(true);
    expect(page.errors).toEqual([]);

    const trainerProcess = { name: 'wasm' as const, device: 'CPU', skipped: [{ name: 'webgpu' as const, reason: "Dawn's Node binding cannot read GPU memory back inside Electron" }] };
    const auto = desktopBackendReport(trainerProcess, finding);
    expect(auto.name).toBe('wasm');
    expect(auto.skipped[0]!.reason).toMatch(/^only a software adapter in the app's GPU window \(/);
  });

  it('a GPU lost mid-run stops the run as gpu-device-lost, keeps the last checkpoint, and the run resumes on wasm', async () => {
    const runDir = join(root, 'run-lost');
    const lost = await session(runDir, false, (event, { loseGpu }) => event.type === 'checkpoint' && event.epoch === 1 && loseGpu());
    expect(lost.exit).toEqual({ code: 1, signal: null });
    const end = lost.events.at(-1);
    expect(end).toMatchObject({ type: 'failed', kind: 'gpu-device-lost' });
    expect(end?.type === 'failed' && end.error.message).toMatch(/Resuming continues from checkpoint step-00000010 \(end of epoch 1, step 10\)/);
    expect(await readRunRecord(runDir)).toMatchObject({ status: 'failed', failure: { kind: 'gpu-device-lost' } });
    expect(await readdir(join(runDir, 'checkpoints'))).toEqual(['step-00000010']);
    expect(await readdir(runDir)).not.toContain(RUN_LOCK_FILE);

    const resumed = await runTrainer({ type: 'start', runDir, datasetDir, resume: true, backend: 'wasm' }, () => undefined, new TrainingControl());
    expect(resumed).toMatchObject({ type: 'finished', reason: 'completed', epoch: 3, step: 30 });
  });
});
