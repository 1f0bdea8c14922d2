/**
 * StudioService exports over real run folders (sharp grids, real jsonl, a
 * real tiny generator checkpoint) and the real ffmpeg: every format lands in
 * runs/<id>/exports/ with a URL, progress carries the export id, cancel
 * leaves no partial file, and bad requests fail with a clear error.
 */
import { readdir, readFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress, StudioEvent } from '../../shared/api';
import { addFixtureCheckpoint, makeFixtureRun } from '../export/test-fixtures';
import { StudioService } from '../studio-service';
import { FakeTrainer } from './fake-trainer';

let root: string;
let runsRoot: string;
let service: StudioService;
const events: StudioEvent[] = [];
const revealed: string[] = [];

const progressOf = (exportId: string): Progress[] =>
  events.flatMap((e) => (e.type === 'progress' && e.progress.id === exportId ? [e.progress] : []));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-service-exports-'));
  runsRoot = join(root, 'runs');
  await makeFixtureRun(runsRoot, { id: 'base', name: 'baseline', epochs: 4, config: { gridRows: 2, gridCols: 2 } });
  const variant = await makeFixtureRun(runsRoot, { id: 'variant', name: 'tiny · shapes · G lr 0.001', epochs: 3, config: { gridRows: 2, gridCols: 2, generatorLearningRate: 0.001 } });
  await addFixtureCheckpoint(variant, 12);
  service = new StudioService({
    runsRoot,
    datasetsRoot: join(root, 'datasets'),
    launcher: () => new FakeTrainer(),
    shell: 'electron',
    urlForRunFile: (runId, rel) => `studio://run/${runId}/${rel}`,
    urlForDatasetPreview: (id) => `studio://dataset/${id}/preview.png`,
    reveal: (path) => void revealed.push(path),
    probeBackend: async () => ({ name: 'cpu', device: 'CPU', skipped: [] }),
  });
  service.onEvent((event) => events.push(event));
});
afterAll(async () => {
  await service.shutdown();
  await rm(root, { recursive: true, force: true });
});

describe('exportRun', () => {
  it('writes a GIF into the run folder, reports progress with its id, and can reveal it', async () => {
    const result = await service.exportRun({ runId: 'variant', format: 'gif', fps: 8, scale: 2, exportId: 'gif-1' });
    expect(result).toEqual({ exportId: 'gif-1', files: [{ name: 'tiny-shapes-G-lr-0.001.gif', url: 'studio://run/variant/exports/tiny-shapes-G-lr-0.001.gif' }] });
    const gif = await readFile(join(runsRoot, 'variant', 'exports', 'tiny-shapes-G-lr-0.001.gif'));
    expect(gif.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    expect(progressOf('gif-1').length).toBeGreaterThan(0);
    expect(await service.revealRun('variant', 'exports/tiny-shapes-G-lr-0.001.gif')).toBe(join(runsRoot, 'variant', 'exports', 'tiny-shapes-G-lr-0.001.gif'));
    expect(revealed.at(-1)).toBe(join(runsRoot, 'variant', 'exports', 'tiny-shapes-G-lr-0.001.gif'));
    await expect(service.revealRun('variant', '../base/run.json')).rejects.toMatchObject({ name: 'AccessDeniedError' });
  });

  it('writes a side-by-side comparison into the first run’s exports', async () => {
    const result = await service.exportRun({ runIds: ['base', 'variant'], format: 'mp4' });
    expect(result.exportId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.files).toEqual([{ name: 'baseline-vs-tiny-shapes-G-lr-0.001.mp4', url: 'studio://run/base/exports/baseline-vs-tiny-shapes-G-lr-0.001.mp4' }]);
    expect((await stat(join(runsRoot, 'base', 'exports', 'baseline-vs-tiny-shapes-G-lr-0.001.mp4'))).size).toBeGreaterThan(0);
  });

  it('writes the stills: a grid PNG, charts, CSV and the generator folder', async () => {
    const png = await service.exportRun({ runId: 'variant', format: 'png', epoch: 2, scale: 3 });
    expect(png.files).toEqual([{ name: 'tiny-shapes-G-lr-0.001-epoch-2.png', url: 'studio://run/variant/exports/tiny-shapes-G-lr-0.001-epoch-2.png' }]);
    const charts = await service.exportRun({ runId: 'variant', format: 'charts' });
    expect(charts.files.map((f) => f.name).sort()).toEqual(['accuracy.png', 'accuracy.svg', 'loss.png', 'loss.svg']);
    const csv = await service.exportRun({ runId: 'variant', format: 'csv' });
    expect(csv.files.map((f) => f.name).sort()).toEqual(['epochs.csv', 'steps.csv']);
    expect(await readFile(join(runsRoot, 'variant', 'exports', 'steps.csv'), 'utf8')).toMatch(/^step,epoch,gen_loss/);
    const generator = await service.exportRun({ runId: 'variant', format: 'generator' });
    expect(generator.files.map((f) => f.name)).toEqual(['generator/gan-studio-generator.json', 'generator/model.json', 'generator/weights.bin']);
    expect(generator.files[1]!.url).toBe('studio://run/variant/exports/generator/model.json');
  });

  it('cancel leaves no partial file and keeps the earlier good export', async () => {
    const before = await readFile(join(runsRoot, 'variant', 'exports', 'tiny-shapes-G-lr-0.001.gif'));
    const unsubscribe = service.onEvent((event) => {
      if (event.type === 'progress' && event.progress.id === 'gif-cancel') void service.cancelExport('gif-cancel');
    });
    await expect(service.exportRun({ runId: 'variant', format: 'gif', scale: 4, exportId: 'gif-cancel' })).rejects.toMatchObject({
      name: 'ExportCancelledError',
    });
    unsubscribe();
    const left = await readdir(join(runsRoot, 'variant', 'exports'));
    expect(left.filter((name) => name.includes('partial'))).toEqual([]);
    expect(await readFile(join(runsRoot, 'variant', 'exports', 'tiny-shapes-G-lr-0.001.gif'))).toEqual(before);
    expect(await service.cancelExport('gif-cancel')).toBe(false);
  });

  it('passes a missing ffmpeg through with its message and hint, leaving no file', async () => {
    const saved = process.env.FFMPEG_PATH;
    process.env.FFMPEG_PATH = join(root, 'no-such-ffmpeg');
    try {
      const error = (await service.exportRun({ runId: 'base', format: 'webm' }).then(
        () => ({ name: 'no error', message: '' }),
        (e: unknown) => e,
      )) as { name: string; message: string; hint?: string };
      expect(error).toMatchObject({ name: 'FfmpegNotFoundError', message: expect.stringContaining('FFMPEG_PATH') });
      expect(error.hint).toBeTruthy();
    } finally {
      if (saved === undefined) delete process.env.FFMPEG_PATH;
      else process.env.FFMPEG_PATH = saved;
    }
    expect(await readdir(join(runsRoot, 'base', 'exports')).catch(() => [])).not.toContain('progress.webm');
  });

  it('refuses a missing run, a run without grids and a second export with a running id', async () => {
    await expect(service.exportRun({ runId: 'nope', format: 'gif' })).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(service.exportRun({ runId: 'variant', format: 'png', epoch: 99 })).rejects.toMatchObject({ name: 'ExportInputError' });
    const first = service.exportRun({ runId: 'base', format: 'gif', exportId: 'twice' });
    await expect(service.exportRun({ runId: 'base', format: 'gif', exportId: 'twice' })).rejects.toThrow(/already running/);
    await first;
  });
});

describe('writeEvidence', () => {
  it('writes the pack against a baseline into exports/evidence-vs-<baseline>/', async () => {
    const result = await service.writeEvidence({ runId: 'variant', baselineRunId: 'base', exportId: 'ev-1' });
    expect(result.url).toBe('studio://run/variant/exports/evidence-vs-base/index.html');
    const names = result.files.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['evidence-vs-base/index.html', 'evidence-vs-base/progress.gif', 'evidence-vs-base/evidence.json']));
    for (const file of result.files) expect(file.url).toBe(`studio://run/variant/exports/${file.name}`);
    const html = await readFile(join(runsRoot, 'variant', 'exports', 'evidence-vs-base', 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(progressOf('ev-1').length).toBeGreaterThan(0);
  });

  it('refuses a missing baseline before writing anything', async () => {
    await expect(service.writeEvidence({ runId: 'base', baselineRunId: 'gone' })).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(await readdir(join(runsRoot, 'base', 'exports'))).not.toContain('evidence-vs-gone');
  });
});
