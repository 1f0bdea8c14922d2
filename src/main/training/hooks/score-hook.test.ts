/**
 * The score hook inside a real (in-process, cpu) tiny run: scores.jsonl gets
 * one record per scored epoch with every score and its sample size, the
 * trainer emits them, and the dataset's classifier is trained once and then
 * reused from its cache.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../../shared/config';
import type { DatasetManifest } from '../../../shared/dataset';
import { SCORE_NAMES, SCORE_SPECS } from '../../../shared/scores';
import type { TrainerEvent } from '../../../shared/trainer-protocol';
import { readRunJsonl } from '../../runs';
import { CLASSIFIER_DIR } from '../../scores/feature-network';
import { TrainingControl } from '../control';
import { writeSquaresDataset } from '../../common/test-support';
import { runTrainer } from '../trainer-run';

let root: string;
let labelled: string;
let unlabelled: string;

/** Labels the squares by size (small / large), making a two-class dataset. */
async function addSizeLabels(dir: string, count: number): Promise<void> {
  const images = new Uint8Array(await readFile(join(dir, 'images.u8')));
  const labels = Uint8Array.from({ length: count }, (_, i) => (images.subarray(i * 256, (i + 1) * 256).filter((v) => v > 0).length > 49 ? 1 : 0));
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as DatasetManifest;
  const classCounts = [labels.filter((l) => l === 0).length, labels.filter((l) => l === 1).length];
  await writeFile(join(dir, 'labels.u8'), labels);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, hasLabels: true, classNames: ['small', 'large'], classCounts }));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'score-hook-'));
  labelled = await writeSquaresDataset(join(root, 'labelled'), 48);
  await addSizeLabels(labelled, 48);
  unlabelled = await writeSquaresDataset(join(root, 'unlabelled'), 24);
});

async function train(runDir: string, datasetDir: string, extra: { scoreEvery?: number; epochs?: number; emaDecay?: number; batchSize?: number } = {}) {
  const events: TrainerEvent[] = [];
  const config = resolveTrainingConfig({ preset: 'tiny', seed: 3, batchSize: 8, epochs: extra.epochs ?? 2, scoreSampleSize: 30, earlySampleSteps: [], ...extra });
  const end = await runTrainer({ type: 'start', runDir, datasetDir, config, resume: false, backend: 'cpu' }, (e) => events.push(e), new TrainingControl());
  expect(end.type).toBe('finished');
  return events;
}

describe('score hook', () => {
  it('is on by default for small presets and scores every epoch on a labelled dataset', async () => {
    expect(resolveTrainingConfig({ preset: 'tiny' }).scoreEvery).toBe(1);
    expect(resolveTrainingConfig({ preset: 'dcgan-64' }).scoreEvery).toBe(0);
    const runDir = join(root, 'labelled-run');
    const events = await train(runDir, labelled);
    const records = (await readRunJsonl(runDir, 'scores')).records;
    expect(records.map((r) => r.epoch)).toEqual([1, 2]);
    for (const record of records) {
      expect(Object.keys(record.scores).sort()).toEqual([...SCORE_NAMES].sort());
      for (const value of Object.values(record.scores)) expect(value).toMatchObject({ n: 30 });
      expect(record.sampleSize).toBe(30);
      expect(record.feature.network).toMatch(/classifier/);
      expect(record.feature.accuracy).toBeGreaterThanOrEqual(0);
      expect(record.feature.realRecognisable?.n).toBeGreaterThan(0);
      expect(record.seconds).toBeGreaterThan(0);
      expect(record.generator).toBe('generator');
    }
    expect(events.filter((e) => e.type === 'scores').map((e) => e.type === 'scores' && e.record)).toEqual(records);
    expect(events.some((e) => e.type === 'classifier-progress')).toBe(true);
    // Scores come before the epoch's checkpoint, so a checkpoint never misses its epoch's scores.
    const order = events.filter((e) => e.type === 'scores' || e.type === 'checkpoint').map((e) => e.type);
    expect(order).toEqual(['scores', 'checkpoint', 'scores', 'checkpoint']);
    const meta = JSON.parse(await readFile(join(labelled, CLASSIFIER_DIR, 'meta.json'), 'utf8'));
    expect(meta.classNames).toEqual(['small', 'large']);

    // A second run on the same dataset reuses the cached classifier.
    const again = await train(join(root, 'labelled-again'), labelled, { epochs: 1 });
    expect(again.some((e) => e.type === 'classifier-progress')).toBe(false);
    expect((await readRunJsonl(join(root, 'labelled-again'), 'scores')).records[0]!.feature.accuracy).toBe(records[0]!.feature.accuracy);
  });

  it('scores KID and SWD on random-projection features without labels, every N epochs and after the last, with the EMA generator', async () => {
    const runDir = join(root, 'unlabelled-run');
    await train(runDir, unlabelled, { scoreEvery: 2, epochs: 3, emaDecay: 0.9 });
    const records = (await readRunJsonl(runDir, 'scores')).records;
    expect(records.map((r) => r.epoch)).toEqual([2, 3]);
    expect(Object.keys(records[0]!.scores).sort()).toEqual(SCORE_SPECS.filter((spec) => !spec.needsClassifier).map((spec) => spec.name).sort());
    expect(records[0]!.feature.network).toMatch(/random projection/);
    expect(records[0]!.feature.accuracy).toBeUndefined();
    expect(records[0]!.generator).toBe('ema');
  });

  it('is off, with a note, on a dataset too small to score, and the run still trains to its end', async () => {
    const tinyDataset = await writeSquaresDataset(join(root, 'three'), 3);
    const runDir = join(root, 'three-run');
    const events = await train(runDir, tinyDataset, { scoreEvery: 1, epochs: 2, batchSize: 1 });
    const started = events.find((e) => e.type === 'started');
    expect(started?.type === 'started' && started.notes).toEqual(['quality scores are off: the dataset has 3 images, fewer than the 4 they need']);
    expect(events.some((e) => e.type === 'scores')).toBe(false);
    expect((await readRunJsonl(runDir, 'scores')).records).toEqual([]);
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(2);
  });

  it('is off with scoreEvery 0', async () => {
    const runDir = join(root, 'off-run');
    const events = await train(runDir, unlabelled, { scoreEvery: 0, epochs: 1 });
    expect(events.some((e) => e.type === 'scores')).toBe(false);
    expect((await readRunJsonl(runDir, 'scores')).records).toEqual([]);
  });
});
