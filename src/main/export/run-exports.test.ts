/**
 * Still exports from fixture runs: CSV columns and rows, chart SVGs with the
 * 0.5 line where 0.5 is on the axis, chart PNGs, a grid PNG and a generator
 * folder that tf.js loads and runs.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accuracyChart, lineChartSvg } from './charts';
import { EPOCH_COLUMNS, EPOCH_SCORE_COLUMNS, STEP_COLUMNS } from './csv';
import { ExportInputError } from './errors';
import { autoPngScale, exportCharts, exportCsv, exportGenerator, exportGridPng, GENERATOR_INFO_FILE } from './run-exports';
import { addFixtureCheckpoint, makeFixtureRun } from './test-fixtures';

let root: string;
let runDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'export-stills-'));
  runDir = await makeFixtureRun(root, {
    id: 'stills',
    epochs: 3,
    stepsPerEpoch: 4,
    // Epoch 2 was not scored (scoreEvery 2 would skip it): its score cells stay empty.
    scores: [{ fid: { value: 80.5, std: 0, n: 64 }, kid: { value: 0.25, std: 0.01, n: 64 } }, {}, { fid: { value: 40.25, std: 0, n: 64 }, kid: { value: 0.05, std: 0.004, n: 64 } }],
  });
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('exportCsv', () => {
  it('writes steps.csv and epochs.csv with the course column names and one row per record', async () => {
    const [steps, epochs] = (await exportCsv(runDir, join(root, 'csv'))).paths;
    const stepLines = (await readFile(steps!, 'utf8')).trim().split('\n');
    expect(stepLines[0]).toBe('step,epoch,gen_loss,disc_loss,real_accuracy,fake_accuracy,ms');
    expect(stepLines[0]!.split(',')).toEqual([...STEP_COLUMNS]);
    expect(stepLines).toHaveLength(1 + 12);
    const row = stepLines[5]!.split(',').map(Number);
    expect(row.slice(0, 2)).toEqual([5, 2]);
    expect(row.every(Number.isFinite)).toBe(true);
    const epochLines = (await readFile(epochs!, 'utf8')).trim().split('\n');
    const header = epochLines[0]!.split(',');
    expect(header).toEqual([...EPOCH_SCORE_COLUMNS]);
    expect(header.slice(0, EPOCH_COLUMNS.length)).toEqual([...EPOCH_COLUMNS]);
    expect(epochLines.slice(1).map((line) => line.split(',')[0])).toEqual(['1', '2', '3']);
    const cellsOf = (line: string) => Object.fromEntries(header.map((column, i) => [column, line.split(',')[i]]));
    expect(cellsOf(epochLines[3]!)).toMatchObject({ fid: '40.25', fid_std: '0', fid_n: '64', kid: '0.05', kid_std: '0.004', kid_n: '64', swd: '', score_features: '"fixture classifier"', score_feature_accuracy: '0.9' });
    expect(cellsOf(epochLines[2]!)).toMatchObject({ fid: '', kid: '', score_features: '"fixture classifier"' });
  });
});

/** The y pixel of a y-axis tick label such as "0" or "1" in an ECharts SVG. */
function tickY(svg: string, label: string): number {
  const match = new RegExp(`text-anchor="end"[^>]*translate\\([\\d.]+ ([\\d.]+)\\)[^>]*>${label}</text>`).exec(svg);
  if (!match) throw new Error(`no y tick "${label}"`);
  return Number(match[1]);
}

describe('charts', () => {
  it('draws the accuracy chart with a dashed horizontal line exactly at 0.5', async () => {
    const svg = lineChartSvg(
      accuracyChart(
        [
          { step: 1, epoch: 1, gen_loss: 1, disc_loss: 1, real_accuracy: 0.9, fake_accuracy: 0.95, ms: 1 },
          { step: 2, epoch: 1, gen_loss: 1, disc_loss: 1, real_accuracy: 0.7, fake_accuracy: 0.6, ms: 1 },
        ],
        [],
      ),
    );
    const dashed = [...svg.matchAll(/<path d="M([\d.]+) ([\d.]+)L([\d.]+) ([\d.]+)"[^>]*stroke-dasharray/g)];
    expect(dashed).toHaveLength(1);
    const [, , y1, , y2] = dashed[0]!;
    expect(y1).toBe(y2);
    expect(Number(y1)).toBeCloseTo((tickY(svg, '0') + tickY(svg, '1')) / 2, 0);
    expect(svg).toMatch(/>0\.5<\/text>/);
    expect(svg).toContain('fake_accuracy');
  });

  it('writes loss and accuracy charts as SVG and PNG', async () => {
    const files = (await exportCharts(runDir, join(root, 'charts'))).paths;
    expect(files.map((f) => f.slice(join(root, 'charts').length + 1))).toEqual(['loss.svg', 'loss.png', 'accuracy.svg', 'accuracy.png']);
    const meta = await sharp(files[3]!).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 1440, height: 720 });
    expect(await readFile(files[0]!, 'utf8')).toMatch(/gen_loss[\s\S]*disc_loss/);
  });
});

describe('exportGridPng', () => {
  it('writes the chosen epoch grid upscaled with nearest-neighbour', async () => {
    const out = join(root, 'grid.png');
    const result = await exportGridPng(runDir, { out, epoch: 2, scale: 3 });
    expect(result).toMatchObject({ epoch: 2, width: 210, height: 210 });
    const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([210, 210]);
    // Nearest-neighbour: only the fixture's own gray levels, no blended in-between values.
    const levels = new Set<number>();
    for (let i = 0; i < data.length; i += info.channels) levels.add(data[i]!);
    expect([...levels].sort((a, b) => a - b)).toEqual([40, 60, 230, 255]);
  });

  it('at "auto" scale blows a small grid up to at least 512 px, by a whole factor (no 70 px thumbnail)', async () => {
    const out = join(root, 'auto.png');
    const result = await exportGridPng(runDir, { out });
    // The fixture's grid is 70 px: ×8 (the smallest whole factor reaching 512) = 560.
    expect(result).toMatchObject({ epoch: 3, width: 560, height: 560 });
    const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([560, 560]);
    const levels = new Set<number>();
    for (let i = 0; i < data.length; i += info.channels) levels.add(data[i]!);
    expect([...levels].every((v) => [40, 60, 230, 255].includes(v))).toBe(true);
    expect(autoPngScale(512, 300)).toBe(1);
    expect(autoPngScale(16, 16)).toBe(16);
    expect(autoPngScale(100, 40)).toBe(6);
  });

  it('says which epochs exist when asked for a missing one', async () => {
    await expect(exportGridPng(runDir, { out: join(root, 'g.png'), epoch: 9 })).rejects.toThrow(/it has epochs 1–3/);
  });
});

describe('exportGenerator', () => {
  it('refuses a run without a checkpoint', async () => {
    await expect(exportGenerator(runDir, join(root, 'gen-none'))).rejects.toThrow(ExportInputError);
  });

  it('copies the newest complete generator into a folder tf.js loads', async () => {
    const withModel = await makeFixtureRun(root, { id: 'with-model', epochs: 2 });
    await addFixtureCheckpoint(withModel, 4);
    await addFixtureCheckpoint(withModel, 8);
    // A half-written checkpoint (temp name) must be ignored.
    await mkdir(join(withModel, 'checkpoints', '.tmp-step-00000012-1', 'generator'), { recursive: true });
    const out = join(root, 'generator');
    const result = await exportGenerator(withModel, out);
    expect(result.step).toBe(8);
    expect((await readdir(out)).sort()).toEqual([GENERATOR_INFO_FILE, 'model.json', 'weights.bin']);

    const tf = await import('@tensorflow/tfjs');
    const { loadModelFromDir } = await import('../training/models');
    const model = await loadModelFromDir(out);
    const image = model.predict(tf.randomNormal([1, 16])) as Tensor;
    expect(image.shape).toEqual([1, 16, 16, 1]);
    const values = await image.data();
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-1);
    tf.dispose([image]);
    model.dispose();
    // Exporting again replaces the earlier export; an unrelated folder is never overwritten.
    await exportGenerator(withModel, out);
    const foreign = join(root, 'my-notes');
    await mkdir(foreign);
    await writeFile(join(foreign, 'notes.txt'), 'keep me');
    await expect(exportGenerator(withModel, foreign)).rejects.toThrow(/already holds other files/);
    expect(await readFile(join(foreign, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});
