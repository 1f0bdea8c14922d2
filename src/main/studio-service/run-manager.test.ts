import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StudioEvent } from '../../shared/api';
import { resolveTrainingConfig } from '../../shared/config';
import { RunManager } from './run-manager';
import { createRunDir, updateRunRecord } from '../runs';
import { acquireRunLock } from '../runs/run-lock';
import { FakeTrainer } from './fake-trainer';

const backend = { name: 'cpu' as const, device: 'CPU', skipped: [] };
let runsRoot: string;
let datasetDir: string;
let trainers: FakeTrainer[];
let events: StudioEvent[];
let changed: string[];
let manager: RunManager;

async function newRun(): Promise<string> {
  const { record } = await createRunDir(runsRoot, {
    config: resolveTrainingConfig({ preset: 'tiny', epochs: 3, seed: 1 }),
    dataset: { id: 'ds', name: 'ds', fingerprint: 'f', dir: datasetDir },
  });
  return record.id;
}

async function runJson(runId: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(runsRoot, runId, 'run.json'), 'utf8')) as Record<string, unknown>;
}

beforeEach(async () => {
  runsRoot = await mkdtemp(join(tmpdir(), 'gan-runmgr-'));
  // The fake trainer never reads it, but RunManager checks the dataset cache still exists.
  datasetDir = await mkdtemp(join(tmpdir(), 'gan-runmgr-ds-'));
  trainers = [];
  events = [];
  changed = [];
  manager = new RunManager({
    runsRoot,
    launcher: () => {
      const trainer = new FakeTrainer(false);
      trainers.push(trainer);
      return trainer;
    },
    emit: (event) => events.push(event),
    urlForRunFile: (runId, rel) => `studio://run/${runId}/${rel}`,
    onRunChanged: (runId) => changed.push(runId),
    exitGraceMs: 50,
    maxConcurrentRuns: async () => 2,
  });
});
afterEach(async () => {
  await rm(runsRoot, { recursive: true, force: true });
  await rm(datasetDir, { recursive: true, force: true });
});

describe('RunManager', () => {
  it('sends start with the stored config and relays events as StudioEvents', async () => {
    const runId = await newRun();
    await manager.start(runId, { resume: false });
    const trainer = trainers[0]!;
    expect(trainer.sent[0]).toMatchObject({ type: 'start', runDir: join(runsRoot, runId), resume: false, config: { preset: 'tiny', epochs: 3 } });
    expect((await runJson(runId)).status).toBe('running');

    trainer.emit({ type: 'started', backend, totalEpochs: 3, stepsPerEpoch: 2, startEpoch: 0, startStep: 0 });
    const step = { step: 1, epoch: 1, gen_loss: 1, disc_loss: 1, real_accuracy: 0.5, fake_accuracy: 0.5, ms: 3 };
    trainer.emit({ type: 'steps', steps: [step] });
    trainer.emit({ type: 'sample', epoch: 1, step: 2, file: 'samples/epoch-0001.png' });
    expect(events).toContainEqual({ type: 'run-steps', runId, steps: [step] });
    expect(events).toContainEqual({ type: 'run-sample', runId, epoch: 1, step: 2, url: `studio://run/${runId}/samples/epoch-0001.png` });
    const scores = { epoch: 1, step: 2, seconds: 0.5, sampleSize: 64, feature: { network: 'random projection' }, scores: { kid: { value: 0.2, std: 0.01, n: 64 } } };
    trainer.emit({ type: 'scores', record: scores });
    trainer.emit({ type: 'classifier-progress', done: 3, total: 10 });
    expect(events).toContainEqual({ type: 'run-scores', runId, record: scores });
    expect(events).toContainEqual({ type: 'progress', progress: { operation: 'training the score classifier (once per dataset)', done: 3, total: 10 } });

    manager.pause(runId);
    expect(trainer.sent.at(-1)).toEqual({ type: 'pause' });
    trainer.emit({ type: 'paused' });
    expect(manager.live(runId)?.status).toBe('paused');
    await manager.resume(runId);
    expect(trainer.sent.at(-1)).toEqual({ type: 'resume' });
    expect(trainers).toHaveLength(1);

    trainer.emit({ type: 'finished', reason: 'completed', epoch: 3, step: 6 });
    trainer.exit({ code: 0, signal: null });
    await manager.whenIdle(runId);
    expect(manager.isActive(runId)).toBe(false);
    expect(await runJson(runId)).toMatchObject({ status: 'completed', epoch: 3, step: 6, backend });
    expect(changed).toContain(runId);
  });

  it('marks a run crashed when its trainer exits without finishing, and resumes it on request', async () => {
    const runId = await newRun();
    await manager.start(runId, { resume: false });
    trainers[0]!.emit({ type: 'started', backend, totalEpochs: 3, stepsPerEpoch: 2, startEpoch: 0, startStep: 0 });
    trainers[0]!.exit({ code: null, signal: 'SIGSEGV' });
    await manager.whenIdle(runId);
    const record = await runJson(runId);
    expect(record.status).toBe('crashed');
    expect((record.failure as { message: string }).message).toMatch(/signal SIGSEGV/);

    await manager.resume(runId);
    expect(trainers).toHaveLength(2);
    expect(trainers[1]!.sent[0]).toMatchObject({ type: 'start', resume: true });
    expect(manager.live(runId)?.status).toBe('running');
    // run.json is the trainer's to change once it accepts the resume (its start record): a refusal changes nothing.
    expect(await runJson(runId)).toMatchObject({ status: 'crashed', failure: record.failure });
  });

  it('records a trainer failure with its reason and kills a trainer that lingers', async () => {
    const runId = await newRun();
    await manager.start(runId, { resume: false });
    trainers[0]!.emit({ type: 'failed', kind: 'nan', error: { name: 'NanError', message: 'gen_loss became NaN at step 7' } });
    await manager.whenIdle(runId);
    expect(trainers[0]!.killed).toBe(true);
    expect(await runJson(runId)).toMatchObject({ status: 'failed', failure: { kind: 'nan', message: 'gen_loss became NaN at step 7' } });
  });

  it('resumes a run whose GPU failed on another backend, kept in its config; a training run keeps its backend', async () => {
    const runId = await newRun();
    await manager.start(runId, { resume: false });
    await expect(manager.resume(runId, 'wasm')).rejects.toThrow(/keeps its backend until it ends/);
    trainers[0]!.emit({ type: 'failed', kind: 'gpu-device-lost', error: { name: 'TrainingError', message: 'The GPU stopped working during training' } });
    await manager.whenIdle(runId);
    await manager.resume(runId, 'wasm');
    expect(trainers).toHaveLength(2);
    expect(trainers[1]!.sent[0]).toMatchObject({ type: 'start', resume: true, backend: 'wasm', config: { preset: 'tiny', backend: 'wasm' } });
    expect(await runJson(runId)).toMatchObject({ status: 'failed', config: { preset: 'tiny', epochs: 3, backend: 'wasm' } });
    expect(manager.live(runId)?.status).toBe('running');
  });

  describe('a resume that cannot start leaves the status as it was, the reason noted beside it', () => {
    const refusal = { type: 'failed', kind: 'bad-input', error: { name: 'TrainingError', message: 'Every checkpoint of RUN is damaged: …' }, refused: true } as const;

    /** A run that ended `status` (with `failure`), as a trainer leaves it. */
    async function endedRun(status: 'stopped' | 'crashed', failure?: { kind: string; message: string }): Promise<string> {
      const runId = await newRun();
      await updateRunRecord(join(runsRoot, runId), { status, epoch: 2, step: 4, ...(failure ? { failure } : {}) });
      return runId;
    }

    /** Resume `runId` (a fake trainer, the test's last), have its trainer refuse, and wait until it is gone. */
    async function refusedResume(runId: string): Promise<void> {
      await manager.resume(runId);
      expect(manager.live(runId)?.status).toBe('running');
      trainers.at(-1)!.emit(refusal);
      // Not shown as failed meanwhile either: the live state stays until the trainer is gone.
      expect(manager.live(runId)?.status).toBe('running');
      trainers.at(-1)!.exit({ code: 1, signal: null });
      await manager.whenIdle(runId);
      expect(manager.isActive(runId)).toBe(false);
    }

    it('a stopped run whose trainer refuses the resume stays stopped — and one that fails after accepting it is failed', async () => {
      const runId = await endedRun('stopped');
      const before = await runJson(runId);
      await refusedResume(runId);
      const after = await runJson(runId);
      expect(after).toEqual({ ...before, updatedAt: after.updatedAt, resumeRefused: { message: refusal.error.message, at: expect.any(String) } });

      await manager.resume(runId);
      trainers.at(-1)!.emit({ type: 'started', backend, totalEpochs: 3, stepsPerEpoch: 2, startEpoch: 2, startStep: 4 });
      trainers.at(-1)!.emit({ type: 'failed', kind: 'nan', error: { name: 'NanError', message: 'gen_loss became NaN at step 5' } });
      trainers.at(-1)!.exit({ code: 1, signal: null });
      await manager.whenIdle(runId);
      expect(await runJson(runId)).toMatchObject({ status: 'failed', failure: { kind: 'nan' } });
    });

    it('a crashed run whose trainer refuses the resume stays crashed, with its crash reason', async () => {
      const runId = await endedRun('crashed', { kind: 'crashed', message: 'The trainer process exited unexpectedly (signal SIGKILL).' });
      const before = await runJson(runId);
      await refusedResume(runId);
      const after = await runJson(runId);
      expect(after).toEqual({ ...before, updatedAt: after.updatedAt, resumeRefused: { message: refusal.error.message, at: expect.any(String) } });
    });

    it('a resume whose trainer cannot be launched: rejected, run.json untouched', async () => {
      const runId = await endedRun('stopped');
      const before = await readFile(join(runsRoot, runId, 'run.json'), 'utf8');
      const broken = new RunManager({
        runsRoot,
        launcher: () => {
          throw new Error('Cannot find the built trainer');
        },
        emit: () => undefined,
        urlForRunFile: () => '',
        onRunChanged: () => undefined,
        maxConcurrentRuns: async () => 1,
      });
      await expect(broken.resume(runId)).rejects.toThrow(/Could not start the trainer process: Cannot find the built trainer/);
      expect(await readFile(join(runsRoot, runId, 'run.json'), 'utf8')).toBe(before);
    });

    it('a queued resume: refused by its trainer, or no longer startable, or taken out of the queue, goes back to its status', async () => {
      const crash = { kind: 'crashed', message: 'The trainer process exited unexpectedly (signal SIGKILL).' };
      const [refused, unstartable, dequeued] = [await endedRun('crashed', crash), await endedRun('stopped'), await endedRun('crashed', crash)];
      const busy = [await newRun(), await newRun()];
      for (const id of busy) await manager.start(id, { resume: false });
      for (const id of [refused, unstartable, dequeued]) await manager.resume(id);
      expect(await runJson(refused)).toMatchObject({ status: 'queued', queued: { resume: true, from: 'crashed' }, failure: crash });

      await manager.dequeue(dequeued);
      expect(await runJson(dequeued)).toMatchObject({ status: 'crashed', failure: crash });
      expect((await runJson(dequeued)).queued).toBeUndefined();

      // Its turn: out of the queue at the status it had, until its trainer accepts the resume — which it refuses.
      trainers[0]!.emit({ type: 'finished', reason: 'stopped', epoch: 1, step: 2 });
      trainers[0]!.exit({ code: 0, signal: null });
      await manager.whenIdle(busy[0]!);
      expect(trainers[2]!.sent[0]).toMatchObject({ type: 'start', runDir: join(runsRoot, refused), resume: true });
      expect(await runJson(refused)).toMatchObject({ status: 'crashed', failure: crash });
      expect((await runJson(refused)).queued).toBeUndefined();
      // The next one's dataset cache disappears while it waits.
      await rm(datasetDir, { recursive: true, force: true });
      trainers[2]!.emit(refusal);
      trainers[2]!.exit({ code: 1, signal: null });
      await manager.whenIdle(refused);
      expect(await runJson(refused)).toMatchObject({ status: 'crashed', failure: crash, resumeRefused: { message: refusal.error.message } });

      // Its turn came with the slot the refused one left.
      expect(manager.isQueued(unstartable)).toBe(false);
      expect(trainers).toHaveLength(3);
      const record = await runJson(unstartable);
      expect(record).toMatchObject({
        status: 'stopped',
        resumeRefused: { message: expect.stringMatching(/^This resume waited in the queue and could not start: The dataset "ds" this run trains on is no longer in the library/) },
      });
      expect([record.queued, record.failure]).toEqual([undefined, undefined]);
    });
  });

  it('refuses a second trainer for the same run and pausing an idle run', async () => {
    const runId = await newRun();
    expect(() => manager.pause(runId)).toThrow(/not training/);
    await manager.start(runId, { resume: false });
    await expect(manager.start(runId, { resume: false })).rejects.toThrow(/already training/);
  });

  it('refuses to start a run a trainer outside this studio holds, leaving run.json alone', async () => {
    const runId = await newRun();
    const lock = await acquireRunLock(join(runsRoot, runId));
    try {
      await expect(manager.start(runId, { resume: true })).rejects.toThrow(/already being trained \(process/);
      expect(trainers).toHaveLength(0);
      expect((await runJson(runId)).status).toBe('created');
    } finally {
      await lock.release();
    }
  });

  it('refuses to resume a run whose dataset cache was deleted, without marking it failed', async () => {
    const runId = await newRun();
    await rm(datasetDir, { recursive: true });
    await expect(manager.start(runId, { resume: true })).rejects.toMatchObject({
      message: expect.stringContaining('The dataset "ds" this run trains on is no longer in the library'),
      hint: expect.stringContaining('16×16, gray'),
    });
    expect(trainers).toHaveLength(0);
    expect((await runJson(runId)).status).toBe('created');
  });

  it('marks the run failed with the reason when no trainer can be launched', async () => {
    const runId = await newRun();
    const broken = new RunManager({
      runsRoot,
      launcher: () => {
        throw new Error('Cannot find the built trainer');
      },
      emit: () => undefined,
      urlForRunFile: () => '',
      onRunChanged: () => undefined,
      maxConcurrentRuns: async () => 1,
    });
    await expect(broken.start(runId, { resume: false })).rejects.toThrow(/Could not start the trainer process: Cannot find the built trainer/);
    expect(await runJson(runId)).toMatchObject({ status: 'failed', failure: { kind: 'error' } });
    expect(broken.isActive(runId)).toBe(false);
  });

  it('queues starts beyond the limit in run.json and starts them in order as trainers exit', async () => {
    const ids = [await newRun(), await newRun(), await newRun(), await newRun()];
    for (const id of ids) await manager.start(id, { resume: false });
    expect(trainers).toHaveLength(2);
    expect(ids.map((id) => [manager.isActive(id), manager.isQueued(id)])).toEqual([[true, false], [true, false], [false, true], [false, true]]);
    expect(await runJson(ids[2]!)).toMatchObject({ status: 'queued', queued: { resume: false } });
    await expect(manager.start(ids[3]!, { resume: false })).rejects.toThrow(/already queued/);

    trainers[1]!.emit({ type: 'finished', reason: 'completed', epoch: 3, step: 6 });
    trainers[1]!.exit({ code: 0, signal: null });
    await manager.whenIdle(ids[1]!);
    expect(trainers).toHaveLength(3);
    expect(trainers[2]!.sent[0]).toMatchObject({ type: 'start', runDir: join(runsRoot, ids[2]!), resume: false });
    expect(await runJson(ids[2]!)).toMatchObject({ status: 'running' });
    expect((await runJson(ids[2]!)).queued).toBeUndefined();
    expect(manager.isQueued(ids[3]!)).toBe(true);
  });

  it('takes a stopped run out of the queue, and marks a queued run that can no longer start failed with the reason', async () => {
    const ids = [await newRun(), await newRun(), await newRun(), await newRun()];
    for (const id of ids) await manager.start(id, { resume: false });
    await manager.dequeue(ids[2]!);
    expect(await runJson(ids[2]!)).toMatchObject({ status: 'stopped' });
    // Its dataset cache disappears while it waits.
    await rm(datasetDir, { recursive: true, force: true });
    trainers[0]!.exit({ code: null, signal: 'SIGKILL' });
    await manager.whenIdle(ids[0]!);
    expect(trainers).toHaveLength(2);
    expect(await runJson(ids[3]!)).toMatchObject({ status: 'failed', failure: { message: expect.stringMatching(/^A queued run could not start: The dataset/) } });
    expect(manager.isQueued(ids[3]!)).toBe(false);
  });

  it('restores a queue from run.json in the order runs joined it', async () => {
    const ids = [await newRun(), await newRun(), await newRun()];
    // Queued by a studio that closed, the last one first.
    await updateRunRecord(join(runsRoot, ids[2]!), { status: 'queued', queued: { at: '2026-01-01T00:00:00.000Z', resume: true } });
    await updateRunRecord(join(runsRoot, ids[0]!), { status: 'queued', queued: { at: '2026-01-02T00:00:00.000Z', resume: false } });
    await manager.restoreQueue();
    expect(trainers.map((t) => t.sent[0])).toEqual([
      expect.objectContaining({ runDir: join(runsRoot, ids[2]!), resume: true }),
      expect.objectContaining({ runDir: join(runsRoot, ids[0]!), resume: false }),
    ]);
    expect(manager.isActive(ids[1]!)).toBe(false);
  });

  it('leaves a queued run alone when another studio sharing the runs folder took it up first', async () => {
    const [taken, next] = [await newRun(), await newRun()];
    await updateRunRecord(join(runsRoot, taken), { status: 'queued', queued: { at: '2026-01-01T00:00:00.000Z', resume: false } });
    await updateRunRecord(join(runsRoot, next), { status: 'queued', queued: { at: '2026-01-02T00:00:00.000Z', resume: false } });
    const lock = await acquireRunLock(join(runsRoot, taken));
    try {
      await manager.restoreQueue();
      expect(trainers.map((t) => t.sent[0])).toEqual([expect.objectContaining({ runDir: join(runsRoot, next) })]);
      expect((await runJson(taken)).status).toBe('queued');
    } finally {
      await lock.release();
    }
  });
});
