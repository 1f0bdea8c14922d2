/**
 * Resume of a damaged run: the newest checkpoint missing a file, cut short or
 * with garbage state falls back to the newest intact one and says which; a
 * garbled line in metrics.jsonl keeps the good records before it and says so.
 * Each case resumes a copy of one finished run and must end with the same
 * numbers as the run itself (resume is exact).
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import type { TrainerEvent } from '../../shared/trainer-protocol';
import { readRunMetrics, readRunRecord } from '../runs';
import { checkpointName } from './checkpoint';
import { TrainingControl } from './control';
import { writeSquaresDataset } from '../common/test-support';
import { runTrainer } from './trainer-run';

let root: string;
let datasetDir: string;
let reference: string;

// 16 images, batch 8: 2 steps per epoch; a checkpoint after each of 3 epochs (steps 2, 4, 6).
const config = resolveTrainingConfig({ preset: 'tiny', seed: 3, batchSize: 8, epochs: 3, gridRows: 1, gridCols: 2, earlySampleSteps: [] });

async function train(runDir: string, resume: boolean) {
  const events: TrainerEvent[] = [];
  const end = await runTrainer(
    { type: 'start', runDir, datasetDir, config: resume ? undefined : config, resume, backend: 'cpu' },
    (event) => events.push(event),
    new TrainingControl(),
  );
  const started = events.find((e): e is Extract<TrainerEvent, { type: 'started' }> => e.type === 'started');
  return { end, started, notes: started?.notes ?? [] };
}

/** A copy of the finished reference run, marked stopped so resume retrains from its checkpoint. */
async function copyOfReference(name: string): Promise<string> {
  const dir = join(root, name);
  await cp(reference, dir, { recursive: true });
  return dir;
}

const checkpoint = (dir: string, step: number, file = '') => join(dir, 'checkpoints', checkpointName(step), file);
const numbers = (steps: { ms: number }[]) => steps.map(({ ms: _ms, ...rest }) => rest);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'resume-damaged-'));
  datasetDir = await writeSquaresDataset(join(root, 'dataset'), 16);
  reference = join(root, 'reference');
  expect((await train(reference, false)).end).toMatchObject({ type: 'finished', reason: 'completed', step: 6 });
  expect((await readdir(join(reference, 'checkpoints'))).sort()).toEqual([2, 4, 6].map(checkpointName));
});

describe('resume past a damaged checkpoint', () => {
  it.each([
    ['generator/weights.bin is missing', (dir: string) => rm(checkpoint(dir, 6, 'generator/weights.bin')), /generator\/weights\.bin is missing/],
    ['the discriminator optimizer is cut short', (dir: string) => truncate(checkpoint(dir, 6, 'discriminator-optimizer.bin'), 100), /discriminator-optimizer\.bin is truncated \(100 of \d+ bytes\)/],
    ['state.json is garbage', (dir: string) => writeFile(checkpoint(dir, 6, 'state.json'), '{"version":1,"st'), /state\.json is not valid JSON/],
    ['a weight changed on disk', flipLastByte, /generator\/weights\.bin is damaged/],
  ])('falls back to the newest intact checkpoint when %s, and says which', async (name, damage, reason) => {
    const dir = await copyOfReference(name.replace(/\W+/g, '-'));
    await damage(dir);
    const { end, started, notes } = await train(dir, true);
    expect(started).toMatchObject({ startStep: 4, startEpoch: 2 });
    expect(notes[0]).toMatch(new RegExp(`^checkpoint step-00000006 is damaged \\(${reason.source}.*\\) and was removed$`));
    expect(notes[1]).toBe('resuming from the newest intact checkpoint, step-00000004 (step 4)');
    // run.json keeps them, so the studio's run page can show what was repaired.
    expect((await readRunRecord(dir)).resumeNotes).toEqual(notes);
    expect(end).toMatchObject({ type: 'finished', reason: 'completed', step: 6 });
    // The replayed steps carry the same numbers, and a fresh step-6 checkpoint replaced the damaged one.
    expect(numbers((await readRunMetrics(dir)).steps)).toEqual(numbers((await readRunMetrics(reference)).steps));
    const state = JSON.parse(await readFile(checkpoint(dir, 6, 'state.json'), 'utf8')) as { step: number };
    expect(state.step).toBe(6);
  });

  it('fails with every reason when no checkpoint is intact, and keeps the run as it was', async () => {
    const dir = await copyOfReference('all-damaged');
    for (const step of [2, 4, 6]) await rm(checkpoint(dir, step, 'generator/model.json'));
    const { end } = await train(dir, true);
    expect(end).toMatchObject({ type: 'failed', kind: 'bad-input', refused: true });
    expect(end.type === 'failed' && end.error.message).toMatch(
      /Every checkpoint of .* is damaged: step-00000006 \(generator\/model\.json is missing\); step-00000004 .*; step-00000002 .*Start a new run/,
    );
    expect((await readRunMetrics(dir)).steps).toHaveLength(6);
    expect((await readdir(join(dir, 'checkpoints'))).sort()).toEqual([2, 4, 6].map(checkpointName));
  });
});

describe('resume past a garbled metrics line', () => {
  it('removes a garbled line after the checkpoint, and says so', async () => {
    const dir = await copyOfReference('garbled-after');
    await rm(checkpoint(dir, 6), { recursive: true }); // resume from step 4
    const lines = (await readFile(join(dir, 'metrics.jsonl'), 'utf8')).split('\n');
    lines[4] = '{"step":5,"epo\u0000ch":3,'; // step 5's line, mid-file
    await writeFile(join(dir, 'metrics.jsonl'), lines.join('\n'));
    const { end, notes } = await train(dir, true);
    expect(notes).toEqual(['metrics.jsonl: line 5 is damaged and was removed (4 good records kept).']);
    expect(end).toMatchObject({ type: 'finished', step: 6 });
    expect(numbers((await readRunMetrics(dir)).steps)).toEqual(numbers((await readRunMetrics(reference)).steps));
  });

  it('keeps every good record around a garbled line before the checkpoint, and says which line was removed', async () => {
    const dir = await copyOfReference('garbled-before');
    const lines = (await readFile(join(dir, 'metrics.jsonl'), 'utf8')).split('\n');
    lines[2] = 'garbage';
    await writeFile(join(dir, 'metrics.jsonl'), lines.join('\n'));
    await writeFile(join(dir, 'epochs.jsonl'), (await readFile(join(dir, 'epochs.jsonl'), 'utf8')) + '7\n');
    await rm(checkpoint(dir, 6), { recursive: true });
    const { end, notes } = await train(dir, true);
    expect(notes).toEqual(['metrics.jsonl: line 3 is damaged and was removed (3 good records kept).', 'epochs.jsonl: line 4 is damaged and was removed (2 good records kept).']);
    expect(end).toMatchObject({ type: 'finished', step: 6 });
    expect((await readRunMetrics(dir)).steps.map((s) => s.step)).toEqual([1, 2, 4, 5, 6]);
    expect((await readRunRecord(dir)).status).toBe('completed');
  });
});

describe('resume past a damaged noise.bin', () => {
  it('restores the fixed noise from the checkpoint it resumes from, so the grids keep their faces', async () => {
    const dir = await copyOfReference('noise-cut-short');
    await truncate(join(dir, 'noise.bin'), 10);
    const { end } = await train(dir, true);
    expect(end).toMatchObject({ type: 'finished', reason: 'completed', step: 6 });
    expect(await readFile(join(dir, 'noise.bin'))).toEqual(await readFile(join(reference, 'noise.bin')));
  });
});

describe('gan-studio train --resume', () => {
  it('prints which checkpoint it resumed from when the newest is damaged', async () => {
    const dir = await copyOfReference('cli');
    await rm(checkpoint(dir, 6, 'generator/weights.bin'));
    const bin = join(import.meta.dirname, '..', '..', 'cli', 'gan-studio.js');
    const { stderr } = await promisify(execFile)(process.execPath, [bin, 'train', '--resume', dir, '--backend', 'cpu'], {
      env: { ...process.env, GAN_STUDIO_HOME: join(root, 'home') },
    });
    expect(stderr).toContain('note: checkpoint step-00000006 is damaged (generator/weights.bin is missing) and was removed');
    expect(stderr).toContain('note: resuming from the newest intact checkpoint, step-00000004 (step 4)');
    expect(stderr).toMatch(/finished: 3 epochs, 6 steps/);
  });
});

async function flipLastByte(dir: string): Promise<void> {
  const file = checkpoint(dir, 6, 'generator/weights.bin');
  const bytes = await readFile(file);
  bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
  await writeFile(file, bytes);
}
