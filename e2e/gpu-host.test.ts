/**
 * The desktop app's GPU trainer window, in real Chromium: the trainer's own
 * modules train on Chromium's WebGPU (SwiftShader here) while every file goes
 * through the host's HostFiles, and the host supervises it as a
 * TrainerConnection. The run it writes is an ordinary run: checkpoints pass
 * their integrity check and a Node trainer on wasm resumes it to the end.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../src/shared/config';
import type { TrainerEvent } from '../src/shared/trainer-protocol';
import { createGpuHostConnection } from '../src/main/gpu-host/host-connection';
import { readRunMetrics, readRunRecord } from '../src/main/runs';
import { RUN_LOCK_FILE } from '../src/main/runs/run-lock';
import { latestCompleteCheckpoint } from '../src/main/training/checkpoint';
import { TrainingControl } from '../src/main/training/control';
import { writeSquaresDataset } from '../src/main/training/test-support';
import type { TrainerExit } from '../src/main/training/trainer-connection';
import { runTrainer } from '../src/main/training/trainer-run';
import { hasChromium } from './browser';
import { launchWebgpuChromium, openGpuHostPage, serveRenderer } from './gpu-host-page';
import { ensureRendererBuilt } from './renderer-build';

// 40 images, batch 4: 10 steps an epoch.
const config = resolveTrainingConfig({ preset: 'tiny', seed: 21, batchSize: 4, epochs: 2, gridRows: 1, gridCols: 2, earlySampleSteps: [], scoreEvery: 0 });

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
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** One page session; `onEvent` may steer it. Resolves at its exit. */
  async function session(runDir: string, steer: (event: TrainerEvent, controls: { stop(): void; closePage(): void }) => void) {
    const page = await openGpuHostPage(browser, origin);
    const connection = createGpuHostConnection(page);
    const events: TrainerEvent[] = [];
    const controls = { stop: () => connection.send({ type: 'stop' }), closePage: () => void page.page.close() };
    connection.onEvent((event) => {
      events.push(event);
      steer(event, controls);
    });
    const exit = new Promise<TrainerExit>((resolve) => connection.onExit(resolve));
    connection.send({ type: 'start', runDir, datasetDir, config, resume: false, backend: 'webgpu' });
    return { events, exit: await exit, errors: page.errors };
  }

  it('trains on webgpu, writes an ordinary run, and a Node trainer resumes it on wasm', async () => {
    const runDir = join(root, 'run-resumed');
    const first = await session(runDir, (event, { stop }) => event.type === 'epoch' && event.metrics.epoch === 1 && stop());
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

    const second = await runTrainer({ type: 'start', runDir, datasetDir, resume: true, backend: 'wasm' }, () => undefined, new TrainingControl());
    expect(second).toMatchObject({ type: 'finished', reason: 'completed', epoch: 2, step: 20 });
    const all = (await readRunMetrics(runDir)).steps.map((step) => step.step);
    expect(all).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('a page that dies mid-run ends its connection like a killed trainer, and the run lock is let go', async () => {
    const runDir = join(root, 'run-killed');
    const killed = await session(runDir, (event, { closePage }) => event.type === 'steps' && closePage());
    expect(killed.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await readdir(runDir)).not.toContain(RUN_LOCK_FILE);
  });
});
