/**
 * A real trainer run with the EMA recipe: the EMA generator it saves carries
 * BatchNorm statistics of its own activations (standing statistics), not the
 * live generator's, which every step copies; and the sample grids show that
 * EMA generator, not the live one.
 */
import type * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../../shared/config';
import { sampleFileName } from '../../runs';
import { EMA_DIR, latestCompleteCheckpoint, loadCheckpointModels } from '../checkpoint';
import { TrainingControl } from '../control';
import { loadOrCreateFixedNoise } from '../fixed-noise';
import { loadModelFromDir } from '../../common/model-io';
import { GeneratorEma } from '../objective/ema';
import { renderSampleGrid } from '../sample-grid';
import { writeSquaresDataset } from '../../common/test-support';
import { runTrainer } from '../trainer-run';

const config = resolveTrainingConfig({ preset: 'tiny', seed: 3, batchSize: 8, epochs: 2, gridRows: 2, gridCols: 2, earlySampleSteps: [], emaDecay: 0.9 });
let runDir: string;

// One real run (2 epochs of 2 steps, cpu) for both tests.
beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'ema-statistics-'));
  const datasetDir = await writeSquaresDataset(join(root, 'dataset'), 16);
  runDir = join(root, 'run');
  const end = await runTrainer({ type: 'start', runDir, datasetDir, config, resume: false, backend: 'cpu' }, () => undefined, new TrainingControl());
  expect(end).toMatchObject({ type: 'finished', reason: 'completed' });
});

/** Moving mean and variance of every BatchNorm layer, flattened. */
const statistics = (model: tf.LayersModel): number[] =>
  model.layers
    .filter((layer) => layer.getClassName() === 'BatchNormalization')
    .flatMap((layer) => layer.getWeights().slice(2).flatMap((w) => [...w.dataSync()]));

describe('the EMA generator of a real run', () => {
  it("is saved with its own BatchNorm statistics, re-estimated from its weights", async () => {
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

  it('is what the last sample grid shows: G(fixed noise) of the saved EMA generator, not of the live one', async () => {
    const checkpoint = (await latestCompleteCheckpoint(runDir))!;
    const { generator, discriminator } = await loadCheckpointModels(checkpoint.dir);
    const ema = await loadModelFromDir(join(checkpoint.dir, EMA_DIR));
    const noise = await loadOrCreateFixedNoise(runDir, config);
    const grid = { rows: config.gridRows, cols: config.gridCols, latentDim: config.latentDim };
    const shown = await readFile(join(runDir, sampleFileName('epoch', config.epochs)));
    expect(shown.equals(await renderSampleGrid(ema, noise, grid))).toBe(true);
    expect(shown.equals(await renderSampleGrid(generator, noise, grid))).toBe(false);
    for (const model of [generator, discriminator, ema]) model.dispose();
  });
});
