/**
 * The backend router: nothing starts before the start command, the run's
 * backend picks the trainer kind (a resume included, through the real
 * RunManager), and the chosen trainer is heard and driven exactly as if it
 * had been launched directly.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import type { TrainerCommand, TrainerEvent } from '../../shared/trainer-protocol';
import { RunManager } from '../studio-service/run-manager';
import { createRunDir } from '../runs';
import { FakeTrainer } from '../studio-service/fake-trainer';
import { readRunRecord } from '../studio-service/run-files';
import { routeTrainersByBackend } from './backend-routed-launcher';
import type { TrainerExit } from './trainer-connection';

type Kind = 'standard' | 'webgpu';
let launched: { kind: Kind; trainer: FakeTrainer }[];

function launchers(fail?: Kind): { standard: () => FakeTrainer; webgpu: () => FakeTrainer } {
  const make = (kind: Kind) => (): FakeTrainer => {
    if (kind === fail) throw new Error(`no ${kind} trainer here`);
    const trainer = new FakeTrainer(false);
    launched.push({ kind, trainer });
    return trainer;
  };
  return { standard: make('standard'), webgpu: make('webgpu') };
}

const config = resolveTrainingConfig({ preset: 'tiny', epochs: 2, seed: 1 });
const start = (extra: Partial<Extract<TrainerCommand, { type: 'start' }>> = {}): TrainerCommand => ({
  type: 'start',
  runDir: '/runs/r',
  datasetDir: '/datasets/d',
  config,
  resume: false,
  ...extra,
});

beforeEach(() => {
  launched = [];
});

describe('routeTrainersByBackend', () => {
  it('launches nothing until the start command, then the standard trainer for a run that does not ask for webgpu', () => {
    const connection = routeTrainersByBackend(launchers())();
    expect(launched).toEqual([]);
    expect(connection.pid).toBeUndefined();

    connection.send(start());
    expect(launched.map((l) => l.kind)).toEqual(['standard']);
    expect(launched[0]!.trainer.sent).toEqual([start()]);
    expect(connection.pid).toBe(4242);
  });

  it.each([
    ['the config names webgpu (a new run, or a resume carrying its stored config)', start({ config: { ...config, backend: 'webgpu' } }), 'webgpu'],
    ['the command names webgpu', start({ backend: 'webgpu' }), 'webgpu'],
    ['a resume without config names webgpu', start({ config: undefined, resume: true, backend: 'webgpu' }), 'webgpu'],
    ['the config names another backend', start({ config: { ...config, backend: 'wasm' } }), 'standard'],
    ['the command forces another backend over the config (as the trainer reads it)', start({ config: { ...config, backend: 'webgpu' }, backend: 'cpu' }), 'standard'],
    ['a resume without config or backend (auto)', start({ config: undefined, resume: true }), 'standard'],
  ] as const)('routes by backend when %s', (_case, command, kind) => {
    routeTrainersByBackend(launchers())().send(command);
    expect(launched.map((l) => l.kind)).toEqual([kind]);
    expect(launched[0]!.trainer.sent).toEqual([command]);
  });

  it('relays the chosen trainer to listeners added before and after the start, and sends it every later command', async () => {
    const connection = routeTrainersByBackend(launchers())();
    const early: TrainerEvent[] = [];
    const late: TrainerEvent[] = [];
    const exits: TrainerExit[] = [];
    connection.onEvent((event) => early.push(event));
    connection.onExit((exit) => exits.push(exit));
    connection.send(start({ backend: 'webgpu' }));
    const off = connection.onEvent((event) => late.push(event));
    const trainer = launched[0]!.trainer;

    trainer.emit({ type: 'paused' });
    off();
    trainer.emit({ type: 'resumed' });
    expect(early).toEqual([{ type: 'paused' }, { type: 'resumed' }]);
    expect(late).toEqual([{ type: 'paused' }]); // unsubscribed before the second

    connection.send({ type: 'pause' });
    connection.send({ type: 'stop' });
    expect(trainer.sent.slice(1)).toEqual([{ type: 'pause' }, { type: 'stop' }]);
    connection.kill();
    expect(trainer.killed).toBe(true);
    expect(exits).toEqual([{ code: null, signal: 'SIGKILL' }]);
    // A subscriber after the exit still hears it (the latch of every TrainerConnection).
    const afterExit = await new Promise<TrainerExit>((resolve) => connection.onExit(resolve));
    expect(afterExit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(launched).toHaveLength(1);
  });

  it('ends with a clean exit on a stop before any start, and then launches nothing', async () => {
    const connection = routeTrainersByBackend(launchers())();
    const exits: TrainerExit[] = [];
    connection.onExit((exit) => exits.push(exit));
    connection.send({ type: 'pause' }); // nothing to pause yet: ignored, not an exit
    expect(exits).toEqual([]);
    connection.send({ type: 'stop' });
    expect(exits).toEqual([{ code: 0, signal: null }]);
    connection.send(start({ backend: 'webgpu' }));
    connection.kill();
    connection.send({ type: 'stop' });
    expect(launched).toEqual([]);
    expect(exits).toHaveLength(1);
    expect(await new Promise((resolve) => connection.onExit(resolve))).toEqual({ code: 0, signal: null });
  });

  it('ends as killed on a kill before any start, launching nothing', () => {
    const connection = routeTrainersByBackend(launchers())();
    const exits: TrainerExit[] = [];
    connection.onExit((exit) => exits.push(exit));
    connection.kill();
    connection.kill();
    connection.send(start());
    expect(exits).toEqual([{ code: null, signal: 'SIGKILL' }]);
    expect(launched).toEqual([]);
    expect(connection.pid).toBeUndefined();
  });

  it('fails the session with the reason when the chosen launcher throws', () => {
    const connection = routeTrainersByBackend(launchers('webgpu'))();
    const events: TrainerEvent[] = [];
    const exits: TrainerExit[] = [];
    connection.onEvent((event) => events.push(event));
    connection.onExit((exit) => exits.push(exit));
    connection.send(start({ backend: 'webgpu' }));
    expect(events).toEqual([
      { type: 'failed', kind: 'error', error: { name: 'Error', message: 'Could not start the trainer process: no webgpu trainer here' }, refused: true },
    ]);
    expect(exits).toEqual([{ code: 1, signal: null }]);
    connection.send({ type: 'stop' }); // nothing is left to stop: no throw, no launch
    expect(launched).toEqual([]);
  });
});

describe('routeTrainersByBackend behind the RunManager', () => {
  let runsRoot: string;
  let datasetDir: string;
  let manager: RunManager;

  beforeEach(async () => {
    runsRoot = await mkdtemp(join(tmpdir(), 'gan-route-'));
    datasetDir = await mkdtemp(join(tmpdir(), 'gan-route-ds-'));
    manager = new RunManager({
      runsRoot,
      launcher: routeTrainersByBackend(launchers()),
      emit: () => undefined,
      urlForRunFile: (runId, rel) => `studio://run/${runId}/${rel}`,
      onRunChanged: () => undefined,
      exitGraceMs: 50,
      maxConcurrentRuns: async () => 1,
    });
  });
  afterEach(async () => {
    await rm(runsRoot, { recursive: true, force: true });
    await rm(datasetDir, { recursive: true, force: true });
  });

  it('starts an auto run on the standard trainer and its resume on webgpu once the user picks it', async () => {
    const { record } = await createRunDir(runsRoot, { config, dataset: { id: 'ds', name: 'ds', fingerprint: 'f', dir: datasetDir } });
    await manager.start(record.id, { resume: false });
    expect(launched.map((l) => l.kind)).toEqual(['standard']);
    launched[0]!.trainer.emit({ type: 'finished', reason: 'stopped', epoch: 1, step: 2 });
    launched[0]!.trainer.exit({ code: 0, signal: null });
    await manager.whenIdle(record.id);

    // Resume on another backend: RunManager stores it in run.json's config and sends that config with the start.
    await manager.resume(record.id, 'webgpu');
    expect(launched.map((l) => l.kind)).toEqual(['standard', 'webgpu']);
    expect(launched[1]!.trainer.sent[0]).toMatchObject({ type: 'start', resume: true, backend: 'webgpu', config: { backend: 'webgpu' } });

    manager.stop(record.id);
    expect(launched[1]!.trainer.sent.at(-1)).toEqual({ type: 'stop' });
    launched[1]!.trainer.exit({ code: 0, signal: null });
    await manager.whenIdle(record.id);
    expect(manager.isActive(record.id)).toBe(false);
  });

  it('marks a run failed with the reason when its trainer cannot be launched', async () => {
    manager = new RunManager({
      runsRoot,
      launcher: routeTrainersByBackend(launchers('webgpu')),
      emit: () => undefined,
      urlForRunFile: (runId, rel) => `studio://run/${runId}/${rel}`,
      onRunChanged: () => undefined,
      exitGraceMs: 50,
      maxConcurrentRuns: async () => 1,
    });
    const { record } = await createRunDir(runsRoot, {
      config: { ...config, backend: 'webgpu' },
      dataset: { id: 'ds', name: 'ds', fingerprint: 'f', dir: datasetDir },
    });
    await manager.start(record.id, { resume: false });
    await manager.whenIdle(record.id);
    expect(await readRunRecord(runsRoot, record.id)).toMatchObject({
      status: 'failed',
      failure: { kind: 'error', message: 'Could not start the trainer process: no webgpu trainer here' },
    });
  });
});

describe("routeTrainersByBackend: auto asks where it trains", () => {
  const auto = start({ config: { ...config, backend: undefined } });

  it.each([
    ['webgpu when the answer is yes', (): Promise<boolean> => Promise.resolve(true), 'webgpu'],
    ['the standard trainer when the answer is no', (): Promise<boolean> => Promise.resolve(false), 'standard'],
    ['the standard trainer when asking fails', (): Promise<boolean> => Promise.reject(new Error('GPU window did not load')), 'standard'],
  ] as const)('starts %s, with commands sent meanwhile delivered after the start', async (_case, answer, kind) => {
    const connection = routeTrainersByBackend({ ...launchers(), autoTrainsOnWebgpu: answer })();
    connection.send(auto);
    connection.send({ type: 'pause' });
    expect(launched).toEqual([]); // still asking
    await expect.poll(() => launched.length).toBe(1);
    expect(launched[0]!.kind).toBe(kind);
    expect(launched[0]!.trainer.sent).toEqual([auto, { type: 'pause' }]);
  });

  it('a stop while auto is asking ends the session; nothing is launched when the answer comes', async () => {
    let answer!: (webgpu: boolean) => void;
    const connection = routeTrainersByBackend({ ...launchers(), autoTrainsOnWebgpu: () => new Promise((resolve) => (answer = resolve)) })();
    const exits: TrainerExit[] = [];
    connection.onExit((exit) => exits.push(exit));
    connection.send(auto);
    connection.send({ type: 'stop' });
    expect(exits).toEqual([{ code: 0, signal: null }]);
    answer(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(launched).toEqual([]);
  });

  it('a run that names its backend is not asked about', () => {
    let asked = 0;
    routeTrainersByBackend({ ...launchers(), autoTrainsOnWebgpu: async () => (asked += 1) > 0 })().send(start({ backend: 'wasm' }));
    expect([asked, launched.map((l) => l.kind)]).toEqual([0, ['standard']]);
  });
});
