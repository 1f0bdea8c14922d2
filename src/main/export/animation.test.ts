/**
 * Real GIF/MP4/WebM exports of fixture runs, decoded again with ffmpeg: one
 * frame per epoch, the expected size, frames that change, epoch ranges,
 * comparison frames, and cancel leaving nothing behind.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../shared/api';
import { exportComparisonAnimation, exportProgressAnimation } from './animation';
import { ExportCancelledError, ExportInputError } from './errors';
import { resolveFfmpeg } from './ffmpeg';
import { decodeFrames, makeFixtureRun } from './test-fixtures';

let root: string;
let runA: string;
let runB: string;
const ffmpeg = resolveFfmpeg();

/** Mean brightness of a decoded gray frame. */
const mean = (frame: Uint8Array): number => frame.reduce((sum, v) => sum + v, 0) / frame.length;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'export-animation-'));
  // 4×4 grids of 16 px tiles with 2 px gaps: 70×70 px; run A is configured for 8 epochs but saved 5.
  runA = await makeFixtureRun(root, { id: 'run-a', name: 'Baseline', epochs: 5, config: { epochs: 8 } });
  runB = await makeFixtureRun(root, { id: 'run-b', name: 'Lower D learning rate', epochs: 3 });
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('exportProgressAnimation', () => {
  it('writes a looping GIF with one frame per epoch at the expected size', async () => {
    const progress: Progress[] = [];
    const result = await exportProgressAnimation(runA, { format: 'gif', out: join(root, 'out', 'a.gif'), scale: 2, onProgress: (p) => progress.push(p) });
    // 70 px × 2 = 140 wide; the caption bar (font 12 → 22 px) adds height.
    expect(result).toMatchObject({ frames: 5, width: 140, height: 162, epochs: [1, 5] });
    const decoded = decodeFrames(ffmpeg.path, result.path);
    expect(decoded).toMatchObject({ codec: 'gif', width: 140, height: 162 });
    expect(decoded.frames).toHaveLength(5);
    // The fixture's disks grow every epoch: consecutive frames differ.
    const means = decoded.frames.map(mean);
    for (let i = 1; i < means.length; i++) expect(Math.abs(means[i]! - means[i - 1]!)).toBeGreaterThan(1);
    // Loops forever: the NETSCAPE2.0 application block with a loop count of 0.
    const bytes = await readFile(result.path);
    const netscape = bytes.indexOf('NETSCAPE2.0');
    expect(netscape).toBeGreaterThan(0);
    expect([...bytes.subarray(netscape + 11, netscape + 15)]).toEqual([3, 1, 0, 0]);
    expect(progress.at(-1)).toMatchObject({ done: 10, total: 10 });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((x, y) => x - y));
  });

  it('writes an H.264 MP4 and a WebM that decode to one frame per epoch of the chosen range', async () => {
    for (const format of ['mp4', 'webm'] as const) {
      const result = await exportProgressAnimation(runA, { format, out: join(root, 'out', `a.${format}`), fromEpoch: 2, toEpoch: 4, fps: 2 });
      const decoded = decodeFrames(ffmpeg.path, result.path);
      expect(decoded.codec).toMatch(format === 'mp4' ? /^h264$/ : /^vp[89]$/);
      expect(decoded.frames).toHaveLength(3);
      expect([decoded.width % 2, decoded.height % 2]).toEqual([0, 0]);
      expect(result.epochs).toEqual([2, 4]);
    }
  });

  it('rejects an epoch range without grids and bad options with clear messages', async () => {
    await expect(exportProgressAnimation(runA, { format: 'gif', out: join(root, 'x.gif'), fromEpoch: 9 })).rejects.toThrow(
      /no sample grid in the chosen epoch range \(it has epochs 1–5\)/,
    );
    await expect(exportProgressAnimation(runA, { format: 'gif', out: join(root, 'x.gif'), scale: 1.5 })).rejects.toThrow(ExportInputError);
    await expect(exportProgressAnimation(join(root, 'not-a-run'), { format: 'gif', out: join(root, 'x.gif') })).rejects.toThrow(/run\.json/);
  });
});

describe('exportComparisonAnimation', () => {
  it('plays runs side by side on the same epoch; the shorter run holds its last grid', async () => {
    const result = await exportComparisonAnimation([runA, runB], { format: 'gif', out: join(root, 'out', 'compare.gif'), scale: 1 });
    expect(result.frames).toBe(5);
    const decoded = decodeFrames(ffmpeg.path, result.path);
    expect(decoded.frames).toHaveLength(5);
    expect(decoded.width).toBeGreaterThanOrEqual(2 * 70);
    // Right half (run B) changes until its epoch 3, then holds: frames 4 and 5 show the same grid.
    const right = (frame: Uint8Array): number => {
      let sum = 0;
      for (let y = 0; y < decoded.height; y++) for (let x = decoded.width / 2 + 4; x < decoded.width; x++) sum += frame[y * decoded.width + x]!;
      return sum;
    };
    const rights = decoded.frames.map(right);
    expect(Math.abs(rights[2]! - rights[1]!)).toBeGreaterThan(1000);
    // Frame 3 says "epoch 3 / 3"; frames 4–5 say "ended at epoch 3 / 3" and hold the same grid.
    expect(rights[4]).toBeCloseTo(rights[3]!, -3);
    expect(Math.abs(rights[3]! - rights[2]!)).toBeGreaterThan(0);
  });

  it('needs 2 to 4 runs', async () => {
    await expect(exportComparisonAnimation([runA], { format: 'gif', out: join(root, 'y.gif') })).rejects.toThrow(/Expected 2 to 4 runs to compare, got 1/);
  });
});

describe('cancel', () => {
  it('leaves no file behind whether cancelled while drawing or while encoding', async () => {
    for (const phase of ['drawing', 'encoding']) {
      const outDir = join(root, `cancel-${phase}`);
      const controller = new AbortController();
      const run = exportProgressAnimation(runA, {
        format: 'mp4',
        out: join(outDir, 'a.mp4'),
        signal: controller.signal,
        onProgress: (p) => {
          if (p.message?.startsWith(phase)) controller.abort();
        },
      });
      await expect(run).rejects.toThrow(ExportCancelledError);
      expect(await readdir(outDir).catch(() => [])).toEqual([]);
    }
  });
});
