/**
 * A run on a dataset cache larger than memory could hold as one Buffer:
 * images.u8 of 4.3 GiB (sparse, so it costs no disk), trained by offset
 * reads. The trainer used to read the file whole and failed at 2 GiB.
 */
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import type { DatasetManifest } from '../../shared/dataset';
import { readRunMetrics } from '../runs';
import { TrainingControl } from './control';
import { runTrainer } from './trainer-run';
import { writeSquaresDataset } from '../common/test-support';

let root: string | undefined;

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('training on a dataset over 4 GiB', () => {
  it('trains from a 4.3 GiB images.u8 by offset reads, memory far below its size', async () => {
    root = await mkdtemp(join(tmpdir(), 'large-dataset-'));
    const dir = await writeSquaresDataset(join(root, 'dataset'), 64);
    const small = new Uint8Array(await readFile(join(dir, 'images.u8')));
    const count = Math.ceil((4.3 * 1024 ** 3) / 256);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as DatasetManifest;
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, count }));
    // The 64 squares repeated at the start and at the end; the middle is zeros (sparse).
    const file = await open(join(dir, 'images.u8'), 'r+');
    try {
      await file.truncate(count * 256);
      await file.write(small, 0, small.length, (count - 64) * 256);
    } finally {
      await file.close();
    }
    const rssBefore = process.memoryUsage().rss;
    const control = new TrainingControl();
    const config = resolveTrainingConfig({ preset: 'tiny', seed: 5, batchSize: 16, epochs: 1, earlySampleSteps: [] });
    const end = await runTrainer({ type: 'start', runDir: join(root, 'run'), datasetDir: dir, config, resume: false, backend: 'cpu' }, (event) => {
      if (event.type === 'steps' && event.steps[0]!.step === 3) control.stop();
    }, control);
    expect(end).toMatchObject({ type: 'finished', reason: 'stopped', step: 3 });
    expect((await readRunMetrics(join(root, 'run'))).steps.map((s) => s.step)).toEqual([1, 2, 3]);
    // The shuffle's index (4 bytes an image, 72 MB here) is the one part that grows with the count.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(600 * 1024 ** 2);
  }, 120_000);
});
