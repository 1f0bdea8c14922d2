/**
 * Every recipe at once through a real trainer session (cpu): finite losses,
 * a flat tensor count, the objective's state in each checkpoint, and a stop +
 * resume that continues the same schedule (augmentation, noise, EMA and
 * spectral norm included).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import type { TrainerEvent } from '../../shared/trainer-protocol';
import { latestGeneratorDir } from '../export/run-exports';
import { readRunMetrics } from '../runs';
import { latestCompleteCheckpoint } from './checkpoint';
import { TrainingControl } from './control';
import { writeSquaresDataset } from '../common/test-support';
import { runTrainer } from './trainer-run';

let root: string;
let datasetDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'recipes-run-'));
  datasetDir = await writeSquaresDataset(join(root, 'dataset'), 20);
});

const config = resolveTrainingConfig({
  preset: 'tiny',
  seed: 11,
  batchSize: 8,
  epochs: 3,
  gridRows: 2,
  gridCols: 2,
  earlySampleSteps: [],
  loss: 'least-squares',
  labelSmoothing: 0.1,
  instanceNoise: 0.1,
  diffAugment: ['cutout', 'color', 'translation'],
  emaDecay: 0.9,
  spectralNorm: true,
  r1Gamma: 1,
});

async function train(runDir: string, resume: boolean, control = new TrainingControl(), onEvent: (e: TrainerEvent) => void = () => undefined) {
  return runTrainer({ type: 'start', runDir, datasetDir, config: resume ? undefined : config, resume, backend: 'cpu' }, onEvent, control);
}

describe('a run with every recipe', () => {
  it('trains with a flat tensor count, checkpoints the objective and resumes the same schedule', async () => {
    expect(config.diffAugment).toEqual(['color', 'translation', 'cutout']);
    const reference = join(root, 'reference');
    const tensors: number[] = [];
    const end = await train(reference, false, new TrainingControl(), (e) => e.type === 'epoch' && tensors.push(tf.memory().numTensors));
    expect(end).toMatchObject({ type: 'finished', reason: 'completed', step: 6 });
    expect(new Set(tensors).size).toBe(1);
    const checkpoint = (await latestCompleteCheckpoint(reference))!;
    expect(existsSync(join(checkpoint.dir, 'generator-ema', 'model.json'))).toBe(true);
    expect(existsSync(join(checkpoint.dir, 'objective-state.json'))).toBe(true);
    // Exports (and `gan-studio score`) take the EMA generator, as the grids do.
    expect((await latestGeneratorDir(reference, 'reference')).dir).toBe(join(checkpoint.dir, 'generator-ema'));
    const expected = (await readRunMetrics(reference)).steps;
    for (const step of expected) expect(Number.isFinite(step.gen_loss) && Number.isFinite(step.disc_loss)).toBe(true);

    const runDir = join(root, 'stop-resume');
    const control = new TrainingControl();
    await train(runDir, false, control, (e) => e.type === 'steps' && e.steps[0]!.step === 3 && control.stop());
    expect(await train(runDir, true)).toMatchObject({ type: 'finished', reason: 'completed', step: 6 });
    const resumed = (await readRunMetrics(runDir)).steps;
    resumed.forEach((step, i) => {
      expect(step.gen_loss).toBeCloseTo(expected[i]!.gen_loss, 3);
      expect(step.disc_loss).toBeCloseTo(expected[i]!.disc_loss, 3);
    });
    // The EMA generator was restored, not restarted from G: it ends where the uninterrupted one does.
    const emaWeights = async (dir: string) =>
      new Float32Array(new Uint8Array(await readFile(join((await latestCompleteCheckpoint(dir))!.dir, 'generator-ema', 'weights.bin'))).buffer);
    const [a, b] = [await emaWeights(reference), await emaWeights(runDir)];
    expect(b.length).toBe(a.length);
    expect(Math.max(...a.map((value, i) => Math.abs(value - b[i]!)))).toBeLessThan(1e-3);
  });
});
