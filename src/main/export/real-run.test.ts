/**
 * Exports from what a real trainer child process writes (tiny preset, a few
 * steps): the GIF has one frame per epoch at the grid's size, the generator
 * folder loads, and the evidence pack is self-contained.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import type { TrainerCommand, TrainerEvent } from '../../shared/trainer-protocol';
import { writeSquaresDataset } from '../common/test-support';
import { spawnTrainerProcess } from '../training/trainer-process';
import { exportProgressAnimation } from './animation';
import { writeEvidence } from './evidence';
import { resolveFfmpeg } from './ffmpeg';
import { exportCsv, exportGenerator } from './run-exports';
import { decodeFrames } from './test-fixtures';

let root: string;
let runDir: string;

/** Train to the end in a child process; resolves with its last event. */
function train(command: Extract<TrainerCommand, { type: 'start' }>): Promise<TrainerEvent | undefined> {
  const trainer = spawnTrainerProcess();
  let last: TrainerEvent | undefined;
  return new Promise((resolve) => {
    trainer.onEvent((event) => (last = event));
    trainer.onExit(() => resolve(last));
    trainer.send(command);
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'export-real-run-'));
  const datasetDir = await writeSquaresDataset(join(root, 'dataset'), 16);
  runDir = join(root, 'run');
  // 16 images, batch 8: 2 steps per epoch, 3 epochs, a 2×3 grid of 16 px images.
  const config = resolveTrainingConfig({ preset: 'tiny', seed: 3, batchSize: 8, epochs: 3, gridRows: 2, gridCols: 3, earlySampleSteps: [1] });
  const last = await train({ type: 'start', runDir, datasetDir, config, resume: false, backend: 'cpu' });
  expect(last).toMatchObject({ type: 'finished', reason: 'completed' });
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('exports of a real training run', () => {
  it('animates one frame per epoch at the grid size', async () => {
    const result = await exportProgressAnimation(runDir, { format: 'gif', out: join(root, 'progress.gif'), scale: 4 });
    const decoded = decodeFrames(resolveFfmpeg().path, result.path);
    expect(decoded.frames).toHaveLength(3);
    // 3 columns × 16 px + 2 gaps of 2 px = 52 px, ×4; the caption bar adds height.
    expect(decoded.width).toBe(208);
    expect(decoded.height).toBeGreaterThan(2 * 16 + 2);
  });

  it('exports metrics, the generator and an evidence pack', async () => {
    const [steps] = (await exportCsv(runDir, join(root, 'csv'))).paths;
    expect((await readFile(steps!, 'utf8')).trim().split('\n')).toHaveLength(1 + 6);
    const generator = await exportGenerator(runDir, join(root, 'generator'));
    expect(generator.step).toBe(6);
    const { loadModelFromDir } = await import('../training/models');
    const model = await loadModelFromDir(generator.dir);
    expect(model.outputs[0]!.shape).toEqual([null, 16, 16, 1]);
    model.dispose();
    const pack = await writeEvidence({ runDir, outDir: join(root, 'evidence') });
    for (const file of pack.files) expect(existsSync(file)).toBe(true);
    expect(pack.run.final?.epoch).toBe(3);
  });
});
