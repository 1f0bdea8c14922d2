/**
 * Generate on a real tiny run (trained here on cpu): checkpoints listed and
 * chosen by epoch/step, grids and single images that agree tile for tile,
 * interpolations whose ends are the two chosen samples, GIF/MP4 by real
 * ffmpeg, the EMA generator, and clear errors for what cannot be generated.
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixtureRun, decodeFrames } from '../export/test-fixtures';
import { resolveFfmpeg } from '../export/ffmpeg';
import { listGeneratorCheckpoints } from './checkpoints';
import { runGenerateJob, sampleFileName } from './generate';
import { trainTinyRun } from './test-support';

let root: string;
let runDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'generate-'));
  runDir = join(root, 'tiny');
  expect(await trainTinyRun(runDir, { epochs: 3 })).toMatchObject({ type: 'finished', reason: 'completed' });
}, 120_000);

afterAll(() => rm(root, { recursive: true, force: true }));

/** Raw gray pixels of a PNG (or of a region of it). */
async function gray(file: string | Buffer, region?: { left: number; top: number; width: number; height: number }): Promise<Buffer> {
  const image = sharp(file);
  return (region ? image.extract(region) : image).extractChannel(0).raw().toBuffer();
}

describe('generate', () => {
  it('lists every kept checkpoint with its epoch', async () => {
    const checkpoints = await listGeneratorCheckpoints(runDir);
    expect(checkpoints.map(({ step, epoch, stepInEpoch, hasEma }) => ({ step, epoch, stepInEpoch, hasEma }))).toEqual([
      { step: 2, epoch: 1, stepInEpoch: 0, hasEma: false },
      { step: 4, epoch: 2, stepInEpoch: 0, hasEma: false },
      { step: 6, epoch: 3, stepInEpoch: 0, hasEma: false },
    ]);
  });

  it('draws a grid from the newest checkpoint whose tiles are the saved single images, the same for the same seed', async () => {
    const grid = join(root, 'grid.png');
    const outcome = await runGenerateJob({ runDir, spec: { kind: 'grid', seed: 5, count: 5 }, out: grid });
    expect(outcome.checkpoint).toEqual({ step: 6, epoch: 3, stepInEpoch: 0, hasEma: false });
    expect(outcome.summary).toMatch(/5 samples of seed 5 as a grid \(epoch 3\)/);
    // 5 samples: 3 columns × 2 rows of 16 px tiles with 2 px gaps.
    expect(await sharp(grid).metadata()).toMatchObject({ width: 52, height: 34 });

    const imagesDir = join(root, 'images');
    const images = await runGenerateJob({ runDir, spec: { kind: 'images', seed: 5, count: 5 }, out: imagesDir });
    expect((await readdir(imagesDir)).sort()).toEqual([0, 1, 2, 3, 4].map((i) => sampleFileName(5, i)));
    expect(images.files).toHaveLength(5);
    for (const index of [0, 4]) {
      const tile = await gray(grid, { left: (index % 3) * 18, top: Math.floor(index / 3) * 18, width: 16, height: 16 });
      expect(tile.equals(await gray(join(imagesDir, sampleFileName(5, index))))).toBe(true);
    }
    // The sixth cell has no sample: it stays transparent, as the gaps do (the page shows through).
    const alpha = await sharp(grid).extract({ left: 36, top: 18, width: 16, height: 16 }).ensureAlpha().extractChannel(3).raw().toBuffer();
    expect([...alpha].every((v) => v === 0)).toBe(true);

    const again = join(root, 'again.png');
    await runGenerateJob({ runDir, spec: { kind: 'grid', seed: 5, count: 5 }, out: again });
    expect((await gray(again)).equals(await gray(grid))).toBe(true);
    const other = join(root, 'other.png');
    await runGenerateJob({ runDir, spec: { kind: 'grid', seed: 6, count: 5 }, out: other });
    expect((await gray(other)).equals(await gray(grid))).toBe(false);
  });

  it('draws from an earlier epoch (or step) on request, with different images', async () => {
    const early = join(root, 'early');
    const outcome = await runGenerateJob({ runDir, generator: { epoch: 1 }, spec: { kind: 'images', seed: 5, count: 1 }, out: early });
    expect(outcome.checkpoint.step).toBe(2);
    const byStep = await runGenerateJob({ runDir, generator: { step: 2 }, spec: { kind: 'images', seed: 5, count: 1 }, out: join(root, 'by-step') });
    expect(byStep.checkpoint.epoch).toBe(1);
    const first = await gray(join(early, sampleFileName(5, 0)));
    expect(first.equals(await gray(join(root, 'by-step', sampleFileName(5, 0))))).toBe(true);
    expect(first.equals(await gray(join(root, 'images', sampleFileName(5, 0))))).toBe(false);
  });

  it('interpolates from sample a to sample b: a strip whose end tiles are those samples', async () => {
    const strip = join(root, 'strip.png');
    await runGenerateJob({ runDir, spec: { kind: 'interpolation', seed: 5, from: 0, to: 4, frames: 6, format: 'png' }, out: strip });
    expect(await sharp(strip).metadata()).toMatchObject({ width: 6 * 16 + 5 * 2, height: 16 });
    const tile = (i: number) => gray(strip, { left: i * 18, top: 0, width: 16, height: 16 });
    expect((await tile(0)).equals(await gray(join(root, 'images', sampleFileName(5, 0))))).toBe(true);
    expect((await tile(5)).equals(await gray(join(root, 'images', sampleFileName(5, 4))))).toBe(true);
    expect((await tile(2)).equals(await tile(0))).toBe(false);
  });

  it('encodes the interpolation as a ping-pong GIF and MP4 with real ffmpeg', async () => {
    const ffmpeg = resolveFfmpeg().path;
    for (const format of ['gif', 'mp4'] as const) {
      const out = join(root, `walk.${format}`);
      await runGenerateJob({ runDir, spec: { kind: 'interpolation', seed: 5, from: 1, to: 2, frames: 5, format, fps: 10 }, out });
      const decoded = decodeFrames(ffmpeg, out);
      // 16 px upscaled to 256; 5 frames forward and 3 back.
      expect(decoded).toMatchObject({ width: 256, height: 256 });
      expect(decoded.frames).toHaveLength(8);
      expect(decoded.codec).toBe(format === 'gif' ? 'gif' : 'h264');
    }
  }, 60_000);

  it('uses the EMA generator of a checkpoint that has one', async () => {
    const withEma = join(root, 'with-ema');
    await cp(runDir, withEma, { recursive: true });
    // Stand-in EMA weights that differ visibly: epoch 1's generator saved as epoch 3's generator-ema/.
    await cp(join(withEma, 'checkpoints', 'step-00000002', 'generator'), join(withEma, 'checkpoints', 'step-00000006', 'generator-ema'), { recursive: true });
    expect((await listGeneratorCheckpoints(withEma)).map((c) => c.hasEma)).toEqual([false, false, true]);
    const outcome = await runGenerateJob({ runDir: withEma, generator: { ema: true }, spec: { kind: 'images', seed: 5, count: 1 }, out: join(root, 'ema') });
    expect(outcome).toMatchObject({ ema: true, checkpoint: { step: 6, hasEma: true } });
    expect(outcome.summary).toMatch(/EMA generator/);
    expect((await gray(join(root, 'ema', sampleFileName(5, 0)))).equals(await gray(join(root, 'early', sampleFileName(5, 0))))).toBe(true);
  });

  it('offers the EMA generator of a run trained with an EMA decay, and it draws other images', async () => {
    const emaRun = join(root, 'ema-run');
    await trainTinyRun(emaRun, { epochs: 1, config: { emaDecay: 0.5 } });
    expect((await listGeneratorCheckpoints(emaRun)).map((c) => c.hasEma)).toEqual([true]);
    const draw = (ema: boolean) => runGenerateJob({ runDir: emaRun, generator: { ema }, spec: { kind: 'images', seed: 5, count: 1 }, out: join(root, `ema-run-${ema}`) });
    expect((await draw(true)).ema).toBe(true);
    await draw(false);
    const [withEma, without] = await Promise.all([true, false].map((ema) => gray(join(root, `ema-run-${ema}`, sampleFileName(5, 0)))));
    expect(withEma!.equals(without!)).toBe(false);
  }, 60_000);

  it('says clearly what cannot be generated', async () => {
    const job = (extra: object) => runGenerateJob({ runDir, spec: { kind: 'grid', seed: 1, count: 4 }, out: join(root, 'x.png'), ...extra });
    await expect(job({ generator: { epoch: 9 } })).rejects.toThrow(/no checkpoint for epoch 9\. It has epoch 1, epoch 2, epoch 3/);
    await expect(job({ generator: { step: 3 } })).rejects.toThrow(/no checkpoint at step 3/);
    await expect(job({ generator: { ema: true } })).rejects.toThrow(/has no EMA generator/);
    const fresh = await makeFixtureRun(root, { id: 'untrained', epochs: 1 });
    await expect(job({ runDir: fresh })).rejects.toMatchObject({ name: 'ExportInputError', message: expect.stringMatching(/has no saved checkpoint yet/) });
    await expect(job({ runDir: join(root, 'nowhere') })).rejects.toThrow(/run\.json/);
  });
});
