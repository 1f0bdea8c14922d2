/**
 * `serve` under load, over real sockets on 127.0.0.1: a run of 200k real
 * step records opens as a bounded message (the spike and dip still in it),
 * zooms give detail, and ten opens at once all stay bounded while other
 * requests are still answered. Timings are in `npm run bench:serve`.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail, RunHistory, StepRange } from '../../shared/api';
import { FakeTrainer } from '../studio-service/fake-trainer';
import { startServer, type StudioServer } from './index';
import { LoadClient } from './load-client';
import { DIP_DISC_LOSS, dipAt, SPIKE_GEN_LOSS, spikeAt, syntheticStep, writeLongRun } from './load-fixture';

const STEPS = 200_000;
/** 195 complete epochs (to step 199,680) and 320 steps of the one in progress. */
const PER_EPOCH = 1024;
const MAX_MESSAGE_BYTES = 5 * 2 ** 20;
const MAX_POINTS = 2000;
/** A run of many short epochs: 12,500 epochs, each with a grid, and a score every 10th. */
const SHORT_EPOCH_STEPS = 50_000;
const SHORT_EPOCH = 4;
const SHORT_EPOCHS = SHORT_EPOCH_STEPS / SHORT_EPOCH;
/** Its first message, bounded whatever the number of epochs (unbounded it was 3.3 MB). */
const MAX_OVERVIEW_BYTES = 2 ** 20;
const MAX_HISTORY = 500;

let root: string;
let server: StudioServer;
let client: LoadClient;
let runId: string;
let manyEpochsId: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-serve-load-'));
  const rendererDir = join(root, 'renderer');
  await mkdir(rendererDir, { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>GAN Studio</title>');
  runId = await writeLongRun(join(root, 'runs'), join(root, 'datasets', 'ds'), STEPS, PER_EPOCH);
  manyEpochsId = await writeLongRun(join(root, 'runs'), join(root, 'datasets', 'ds'), SHORT_EPOCH_STEPS, SHORT_EPOCH, { samples: true, scoreEvery: 10 });
  server = await startServer({
    port: 0,
    runsRoot: join(root, 'runs'),
    rendererDir,
    launcher: () => new FakeTrainer(),
    probeBackend: async () => ({ name: 'cpu', device: 'CPU (test)', skipped: [] }),
  });
  client = await LoadClient.connect(server.port, server.token);
});

afterAll(async () => {
  client?.close();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('opening a 200k-step run', () => {
  it('answers ten opens at once (cold), each bounded, while other requests still get through', async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, () => LoadClient.connect(server.port, server.token)));
    try {
      const opens = Promise.all(clients.map((c) => c.call<RunDetail>('getRun', runId)));
      const page = await new Promise<number>((resolve, reject) =>
        get(`http://127.0.0.1:${server.port}/?token=${server.token}`, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject),
      );
      expect(page).toBe(200);
      for (const reply of await opens) {
        expect(reply.bytes).toBeLessThan(MAX_MESSAGE_BYTES);
        expect(reply.value.steps.length).toBeLessThanOrEqual(MAX_POINTS);
      }
    } finally {
      for (const c of clients) c.close();
    }
  });

  it('sends a bounded overview that keeps the extremes, the first step and the newest steps', async () => {
    const { value, bytes } = await client.call<RunDetail>('getRun', runId);
    expect(bytes).toBeLessThan(MAX_MESSAGE_BYTES);
    expect(value.stepCount).toBe(STEPS);
    expect(value.steps.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(value.steps[0]).toEqual(syntheticStep(1, STEPS, PER_EPOCH));
    expect(value.steps.at(-1)).toEqual(syntheticStep(STEPS, STEPS, PER_EPOCH));
    expect(value.steps.find((s) => s.gen_loss === SPIKE_GEN_LOSS)?.step).toBe(spikeAt(STEPS));
    expect(value.steps.find((s) => s.disc_loss === DIP_DISC_LOSS)?.step).toBe(dipAt(STEPS));
    expect(value.epochs).toHaveLength(195);
    // Every step after the last epoch counts towards the elapsed time, not only the ones sent.
    let ms = 0;
    for (let step = 195 * PER_EPOCH + 1; step <= STEPS; step++) ms += syntheticStep(step, STEPS, PER_EPOCH).ms;
    expect(value.msSinceLastEpoch).toBe(ms);
  });

  it('zooms into a step range in full, and bounds a wide one', async () => {
    const narrow = await client.call<StepRange>('getRunSteps', runId, 100_001, 101_500);
    expect(narrow.value.count).toBe(1500);
    expect(narrow.value.steps.map((s) => s.step)).toEqual(Array.from({ length: 1500 }, (_, i) => 100_001 + i));
    const wide = await client.call<StepRange>('getRunSteps', runId, 1, 150_000);
    expect(wide.bytes).toBeLessThan(MAX_MESSAGE_BYTES);
    expect(wide.value.count).toBe(150_000);
    expect(wide.value.steps.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(wide.value.steps.find((s) => s.gen_loss === SPIKE_GEN_LOSS)?.step).toBe(spikeAt(STEPS));
  });
});

describe('opening a run of 12,500 epochs, each with a grid', () => {
  const epochsFrom = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('sends epochs, grids and scores bounded: a downsample keeping the first and the extremes, then the newest in full', async () => {
    const { value, bytes } = await client.call<RunDetail>('getRun', manyEpochsId);
    expect(bytes).toBeLessThan(MAX_OVERVIEW_BYTES);
    expect(value).toMatchObject({ epochCount: SHORT_EPOCHS, sampleCount: SHORT_EPOCHS, scoreCount: SHORT_EPOCHS / 10, epochSeconds: SHORT_EPOCHS * 20 });
    for (const kind of ['epochs', 'samples', 'scores'] as const) expect(value[kind].length, kind).toBeLessThanOrEqual(MAX_HISTORY);
    expect(value.epochs[0]!.epoch).toBe(1);
    expect(value.epochs.slice(-100).map((e) => e.epoch)).toEqual(epochsFrom(SHORT_EPOCHS - 99, SHORT_EPOCHS));
    // The epoch holding the step with the run's highest gen_loss has the highest mean: it is kept.
    expect(value.epochs.map((e) => e.epoch)).toContain(Math.ceil(spikeAt(SHORT_EPOCH_STEPS) / SHORT_EPOCH));
    expect(value.samples[0]).toMatchObject({ epoch: 1, step: SHORT_EPOCH });
    expect(value.samples.slice(-100).map((s) => s.epoch)).toEqual(epochsFrom(SHORT_EPOCHS - 99, SHORT_EPOCHS));
    expect(value.scores.at(-1)!.epoch).toBe(SHORT_EPOCHS);
  });

  it('gives an epoch range in full, and bounds a wide one', async () => {
    const narrow = await client.call<RunHistory>('getRunHistory', manyEpochsId, 6000, 6100);
    expect(narrow.value.epochs.map((e) => e.epoch)).toEqual(epochsFrom(6000, 6100));
    expect(narrow.value.samples.map((s) => s.epoch)).toEqual(epochsFrom(6000, 6100));
    expect(narrow.value.samples[0]!.url).toBe(`/files/run/${manyEpochsId}/samples/epoch-6000.png`);
    expect(narrow.value.scores.map((s) => s.epoch)).toEqual(epochsFrom(600, 610).map((e) => e * 10));
    expect(narrow.value).toMatchObject({ epochCount: 101, sampleCount: 101, scoreCount: 11 });
    const wide = await client.call<RunHistory>('getRunHistory', manyEpochsId, 1, SHORT_EPOCHS);
    expect(wide.bytes).toBeLessThan(MAX_OVERVIEW_BYTES);
    expect(wide.value).toMatchObject({ epochCount: SHORT_EPOCHS, sampleCount: SHORT_EPOCHS });
    expect(wide.value.epochs.length).toBeLessThanOrEqual(MAX_HISTORY);
  });
});
