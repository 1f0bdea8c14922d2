/**
 * Training into a full disk — a real one, a tiny tmpfs filled up mid-run:
 * the session fails with kind "disk-full" and a message saying what to do,
 * run.json records "failed" (never left "running"), and once space is freed
 * the run resumes to the end. Skipped where tmpfs cannot be mounted (needs root).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTrainingConfig } from '../../shared/config';
import type { TrainerEvent } from '../../shared/trainer-protocol';
import { readRunMetrics, readRunRecord } from '../runs';
import { tinyDiskForTests } from '../runs/test-disk';
import { TrainingControl } from './control';
import { classifyFailure } from './errors';
import { writeSquaresDataset } from '../common/test-support';
import { runTrainer } from './trainer-run';

const disk = tinyDiskForTests(4096, 'training into a full disk (the run fails as disk-full and resumes once space is free)');
let datasetDir: string;

beforeAll(async () => {
  datasetDir = await writeSquaresDataset(join(await mkdtemp(join(tmpdir(), 'disk-full-')), 'dataset'), 16);
});
afterAll(() => disk?.unmount());

const config = resolveTrainingConfig({ preset: 'tiny', seed: 2, batchSize: 8, epochs: 4, gridRows: 1, gridCols: 2, earlySampleSteps: [] });

describe('a full disk', () => {
  it('is its own failure kind, for any write that reports ENOSPC or EDQUOT', () => {
    for (const code of ['ENOSPC', 'EDQUOT']) {
      const error = Object.assign(new Error(`${code}: no space left on device, write`), { code, path: '/runs/r/metrics.jsonl' });
      const { kind, error: serialized } = classifyFailure(error);
      expect(kind).toBe('disk-full');
      expect(serialized.message).toMatch(/^The disk (is full|quota is exceeded)|could not write \/runs\/r\/metrics\.jsonl/);
      expect(serialized.message).toMatch(/Free some space on that disk, then resume the run/);
    }
  });

  it.skipIf(!disk)('fails the run as resumable "disk-full", never leaving run.json "running"; it resumes once space is free', async () => {
    const runDir = join(disk!.dir, 'run');
    const control = new TrainingControl();
    const start = (resume: boolean, onEvent: (event: TrainerEvent) => void = () => undefined) =>
      runTrainer({ type: 'start', runDir, datasetDir, config: resume ? undefined : config, resume, backend: 'cpu' }, onEvent, control);
    // Fill the disk once epoch 1 (and its checkpoint) is on it.
    const end = await start(false, (event) => event.type === 'checkpoint' && disk!.fill());
    expect(end).toMatchObject({ type: 'failed', kind: 'disk-full' });
    expect(end.type === 'failed' && end.error.message).toMatch(/^The disk is full: could not write .*run.*\. Free some space on that disk, then resume the run/);
    expect(await readRunRecord(runDir)).toMatchObject({ status: 'failed', failure: { kind: 'disk-full' } });

    disk!.free();
    const resumed = await start(true);
    expect(resumed).toMatchObject({ type: 'finished', reason: 'completed', step: 8 });
    expect((await readRunMetrics(runDir)).steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await readRunRecord(runDir)).status).toBe('completed');
  });
});
