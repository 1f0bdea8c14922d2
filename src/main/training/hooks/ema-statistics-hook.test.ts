/**
 * A real trainer run with the EMA recipe: the EMA generator it saves carries
 * BatchNorm statistics of its own activations (standing statistics), not the
 * live generator's, which every step copies.
 */
import type * as tf from '@tensorflow/tfjs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../../shared/config';
import { EMA_DIR, latestCompleteCheckpoint, loadCheckpointModels } from '../checkpoint';
import { TrainingControl } from '../control';
import { loadModelFromDir } from '../models/model-io';
import { GeneratorEma } from '../objective/ema';
import { writeSquaresDataset } from '../test-support';
import { runTrainer } from '../trainer-run';

let root: string;
let datasetDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ema-statistics-'));
  datasetDir = await writeSquaresDataset(join(root, 'dataset'), 16);
});

/** Moving mean and variance of every BatchNorm layer, flattened. */
const statistics = (model: tf.LayersModel): number[] =>
  model.layers
    .filter((layer) => layer.getClassName() === 'BatchNormalization')
    .flatMap((layer) => layer.getWeights().slice(2).flatMap((w) => [...w.dataSync()]));

describe('the EMA statistics hook', () => {
  it("saves the EMA generator with its own BatchNorm statistics, re-estimated from its weights", async () => {
    const config = resolveTrainingConfig({ preset: 'tiny', seed: 3, batchSize: 8, epochs: 2, gridRows: 2, gridCols: 2, earlySampleSteps: [], emaDecay: 0.9 });
    const runDir = join(root, 'run');
    const end = await runTrainer({ type: 'start', runDir, datasetDir, config, resume: false, backend: 'cpu' }, () => undefined, new TrainingControl());
    expect(end).toMatchObject({ type: 'finished', reason: 'completed' });
    const checkpoint = (await latestCompleteCheckpoint(runDir))!;
    const { generator, discriminator } = await loadCheckpointModels(checkpoint.dir);
    const saved = await loadModelFromDir(join(checkpoint.dir, EMA_DIR));
    const savedStatistics = statistics(saved);
    expect(savedStatistics.length).toBeGreaterThan(0);
    // Without the hook they would be the live generator's, copied at the last step.
    const live = statistics(generator);
    expect(Math.max(...savedStatistics.map((value, i) => Math.abs(value - live[i]!)))).toBeGreaterThan(1e-3);
    // Re-estimating them from the saved weights gives the same numbers: they are the standing statistics.
    const again = new GeneratorEma(saved, await loadModelFromDir(join(checkpoint.dir, EMA_DIR)), 0.9);
    again.refreshBatchNormStatistics();
    statistics(again.model).forEach((value, i) => expect(value).toBeCloseTo(savedStatistics[i]!, 4));
    for (const model of [generator, discriminator, saved, again.model]) model.dispose();
  });
});
