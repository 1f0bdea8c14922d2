import * as tf from '@tensorflow/tfjs';
import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import { checkpointName, KEEP_CHECKPOINTS, latestCompleteCheckpoint, loadCheckpointModels, restoreOptimizers, saveCheckpoint } from './checkpoint';
import { loadOrCreateFixedNoise } from './fixed-noise';
import { createGanStep } from './gan-step';
import { buildDiscriminator, buildGenerator } from './models';
import { gridSize, GRID_GAP, renderSampleGrid } from './sample-grid';

const config = resolveTrainingConfig({ preset: 'tiny', seed: 5, batchSize: 4, gridRows: 2, gridCols: 3 });
let runDir: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  runDir = await mkdtemp(join(tmpdir(), 'checkpoint-'));
});

async function trainedParts() {
  const generator = buildGenerator(config);
  const discriminator = buildDiscriminator(config);
  const gan = createGanStep({ generator, discriminator, config });
  const real = tf.zeros([4, 16, 16, 1]) as tf.Tensor4D;
  const noise = tf.ones([4, config.latentDim]) as tf.Tensor2D;
  await gan.step(real, noise, 1);
  await gan.step(real, noise, 2);
  tf.dispose([real, noise]);
  return { generator, discriminator, gan };
}

describe('checkpoints', () => {
  it('round-trip models and both Adam states, keep the newest few and skip unfinished folders', async () => {
    await loadOrCreateFixedNoise(runDir, config);
    const parts = await trainedParts();
    for (const step of [1, 2, 3, 4]) await saveCheckpoint(runDir, parts, { step, completedEpochs: 0, stepInEpoch: step, seed: 5 });
    // A folder left by a killed writer and a folder without state.json are not complete checkpoints.
    await mkdir(join(runDir, 'checkpoints', '.tmp-step-00000009-1'), { recursive: true });
    await mkdir(join(runDir, 'checkpoints', checkpointName(8)));
    const latest = await latestCompleteCheckpoint(runDir);
    expect(latest?.state).toMatchObject({ step: 4, stepInEpoch: 4, seed: 5, rng: 'mulberry32-counter' });
    await saveCheckpoint(runDir, parts, { step: 5, completedEpochs: 1, stepInEpoch: 0, seed: 5 });
    const names = (await readdir(join(runDir, 'checkpoints'))).filter((name) => name.startsWith('step-')).sort();
    expect(names).toEqual([3, 4, 5].map(checkpointName));
    expect(KEEP_CHECKPOINTS).toBe(3);

    const loaded = await loadCheckpointModels((await latestCompleteCheckpoint(runDir))!.dir);
    const gan = createGanStep({ ...loaded, config });
    await restoreOptimizers(join(runDir, 'checkpoints', checkpointName(5)), { ...loaded, gan });
    const [saved, restored] = await Promise.all([parts.gan.discriminatorOptimizer.getWeights(), gan.discriminatorOptimizer.getWeights()]);
    expect(restored.map((w) => w.tensor.shape)).toEqual(saved.map((w) => w.tensor.shape));
    expect(restored[0]!.tensor.dataSync()[0]).toBe(2); // iterations
    expect([...restored.at(-1)!.tensor.dataSync()]).toEqual([...saved.at(-1)!.tensor.dataSync()]);
    const g1 = loaded.generator.getWeights().map((w) => [...w.dataSync()]);
    expect(g1).toEqual(parts.generator.getWeights().map((w) => [...w.dataSync()]));
  });

  it('restoring into a different model fails with a clear message', async () => {
    const other = resolveTrainingConfig({ ...config, preset: 'tiny', filterScale: 2 });
    const generator = buildGenerator(other);
    const discriminator = buildDiscriminator(other);
    const gan = createGanStep({ generator, discriminator, config: other });
    const dir = join(runDir, 'checkpoints', checkpointName(5));
    await expect(restoreOptimizers(dir, { generator, discriminator, gan })).rejects.toThrow(/expected .* of shape \[.*\], got \[.*\]\. The checkpoint belongs to a different model/);
  });
});

describe('sample grid', () => {
  it('tiles G(fixed noise) rows × cols with a gap into a PNG of the right size', async () => {
    const generator = buildGenerator(config);
    const noise = await loadOrCreateFixedNoise(runDir, config);
    expect(noise).toHaveLength(2 * 3 * config.latentDim);
    const png = await renderSampleGrid(generator, noise, { rows: 2, cols: 3, latentDim: config.latentDim });
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect({ width: info.width, height: info.height }).toEqual(gridSize(2, 3, 16));
    expect(info.width).toBe(3 * 16 + 2 * GRID_GAP);
    // With alpha: the gap column right of the first tile is transparent (the page or frame shows
    // through, so a dark page has no white lines); every pixel of a tile is opaque and not all white.
    expect((await sharp(png).metadata()).hasAlpha).toBe(true);
    const alpha = info.channels - 1;
    const at = (x: number, y: number, channel: number) => data[(y * info.width + x) * info.channels + channel]!;
    expect([at(16, 5, alpha), at(17, 5, alpha), at(20, 17, alpha)]).toEqual([0, 0, 0]);
    expect([...Array(16).keys()].every((x) => at(x, 5, alpha) === 255)).toBe(true);
    expect([...Array(16).keys()].some((x) => at(x, 5, 0) !== 255)).toBe(true);
  });
});
