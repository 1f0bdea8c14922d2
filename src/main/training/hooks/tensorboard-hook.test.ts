/**
 * A real tiny run writes TensorBoard event files through its hook: stopped
 * mid-epoch and resumed, it leaves one file per session whose scalars are
 * metrics.jsonl's and whose images are the sample grids.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainTinyRun } from '../../generate/test-support';
import { readEventFile, scalarSeries } from '../../tensorboard/test-reader';
import { readRunMetrics } from '../../runs';
import { TrainingControl } from '../control';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tensorboard-hook-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('TensorBoard hook', () => {
  it('logs a stopped and resumed run as two sessions TensorBoard can join', async () => {
    const runDir = join(root, 'run');
    const control = new TrainingControl();
    const config = { earlySampleSteps: [1] };
    await trainTinyRun(runDir, { config, control, onEvent: (e) => e.type === 'steps' && e.steps[0]!.step === 3 && control.stop() });
    await trainTinyRun(runDir, { config, resume: true });

    const files = (await readdir(runDir)).filter((name) => /^events\.out\.tfevents\.\d+\./.test(name)).sort();
    expect(files).toHaveLength(2);
    const [first, second] = await Promise.all(files.map((name) => readEventFile(join(runDir, name))));
    const { steps, epochs } = await readRunMetrics(runDir);

    const firstSeries = scalarSeries(first!);
    expect(firstSeries.get('gen_loss')!.map(([step]) => step)).toEqual([1, 2, 3]);
    expect(firstSeries.get('epoch/gen_loss')!.map(([step]) => step)).toEqual([2]);
    const secondSeries = scalarSeries(second!);
    expect(second![1]).toMatchObject({ step: 4, sessionLog: { status: 'START' } });
    expect(secondSeries.get('gen_loss')!.map(([step]) => step)).toEqual([4, 5, 6]);
    expect(secondSeries.get('epoch/disc_loss')!.map(([step]) => step)).toEqual([4, 6]);

    // The values are metrics.jsonl's (stored as float32).
    const logged = [...firstSeries.get('disc_loss')!, ...secondSeries.get('disc_loss')!];
    expect(logged.map(([step]) => step)).toEqual(steps.map((s) => s.step));
    logged.forEach(([, value], i) => expect(value).toBe(Math.fround(steps[i]!.disc_loss)));
    expect(secondSeries.get('epoch/fake_accuracy')!.at(-1)![1]).toBe(Math.fround(epochs.at(-1)!.fake_accuracy));

    // Images: the early step grid and every epoch grid, byte for byte.
    const images = [...first!, ...second!].flatMap((event) => (event.summary?.value ?? []).filter((v) => v.image).map((v) => ({ step: event.step, png: v.image!.encodedImageString })));
    expect(images.map((image) => image.step)).toEqual([1, 2, 4, 6]);
    expect(Buffer.from(images[3]!.png).equals(await readFile(join(runDir, 'samples', 'epoch-0003.png')))).toBe(true);
  }, 120_000);
});
