/**
 * Frame drawing: captions really appear (and in orange once a run has
 * ended), and a machine without any font gets a clear error instead of
 * captionless frames — simulated with an empty fontconfig in a child process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../paths';
import { layoutFor, renderFrame, wrapTitle } from './frames';
import { fixtureGrid, makeFixtureRun } from './test-fixtures';

let root: string;
let gridPath: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'export-frames-'));
  gridPath = join(root, 'grid.png');
  await writeFile(gridPath, await fixtureGrid(3));
});

afterAll(() => rm(root, { recursive: true, force: true }));

/** Count pixels of the caption bar (below the grid) that are orange-ish and white-ish. */
async function captionColours(png: Buffer, gridHeight: number): Promise<{ orange: number; white: number }> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  let orange = 0;
  let white = 0;
  for (let y = gridHeight; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const i = (y * info.width + x) * info.channels;
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      if (r > 200 && g > 120 && g < 200 && b < 110) orange++;
      if (r > 200 && g > 200 && b > 200) white++;
    }
  }
  return { orange, white };
}

describe('renderFrame', () => {
  it('draws the caption under the grid, in orange once the run has ended', async () => {
    const layout = await layoutFor(gridPath, 2);
    const running = await renderFrame([{ gridPath, caption: 'epoch 3 / 9' }], layout, 'ended at epoch 3 / 9');
    const ended = await renderFrame([{ gridPath, caption: 'ended at epoch 3 / 9', ended: true }], layout, 'ended at epoch 3 / 9');
    // Same size whatever the caption: every frame of an animation must match.
    expect((await sharp(running).metadata()).width).toBe((await sharp(ended).metadata()).width);
    const a = await captionColours(running, layout.gridHeight);
    const b = await captionColours(ended, layout.gridHeight);
    expect(a.white).toBeGreaterThan(30);
    expect(a.orange).toBe(0);
    expect(b.orange).toBeGreaterThan(30);
  });
});

/** Lit (text) pixels in each row band [top, top + height) of the frame. */
async function inkInBand(png: Buffer, top: number, height: number): Promise<number> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  let lit = 0;
  for (let y = top; y < Math.min(top + height, info.height); y++) {
    for (let x = 0; x < info.width; x++) if (data[(y * info.width + x) * info.channels]! > 128) lit++;
  }
  return lit;
}

describe('run names in comparison frames', () => {
  const name = 'quick · Fashion-MNIST · 1 epoch · hinge loss';

  it('wraps a long name between its parts and keeps every word', () => {
    expect(wrapTitle(name)).toEqual(['quick · Fashion-MNIST ·', '1 epoch · hinge loss']);
    const long = 'this run: quick · Fashion-MNIST · 1 epoch · hinge loss · G lr 0.0004 · +2 more';
    const lines = wrapTitle(long);
    expect(lines.join(' ')).toBe(long);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(32);
    // A word longer than a line is the only thing cut mid-word, and nothing of it is lost.
    expect(wrapTitle('x'.repeat(70)).join('')).toBe('x'.repeat(70));
  });

  it('draws the whole name, "hinge loss" included, on a second title line', async () => {
    const layout = await layoutFor(gridPath, 2);
    const caption = 'epoch 1 / 1';
    const frame = await renderFrame([{ gridPath, caption, title: name }], layout, caption);
    // The same panel with only the second line as title (as wide: the first line sets the width).
    const oneLine = await renderFrame([{ gridPath, caption, title: '1 epoch · hinge loss' }], layout, 'quick · Fashion-MNIST ·');
    expect((await sharp(frame).metadata()).width).toBe((await sharp(oneLine).metadata()).width);
    const titleHeight = (await sharp(frame).metadata()).height! - (await sharp(oneLine).metadata()).height!;
    expect(titleHeight).toBeGreaterThan(10);
    // The second line holds as much ink as "1 epoch · hinge loss" drawn alone on the first.
    const secondLine = await inkInBand(frame, titleHeight, titleHeight);
    const alone = await inkInBand(oneLine, 0, titleHeight);
    expect(alone).toBeGreaterThan(100);
    expect(Math.abs(secondLine - alone) / alone).toBeLessThan(0.1);
    // A much longer name wraps onto more lines instead of widening the frame.
    const longName = `${name} · G lr 0.0004 · D lr 0.0001 · +2 more`;
    const longer = await renderFrame([{ gridPath, caption, title: longName }], layout, caption);
    const widestLine = wrapTitle(longName).reduce((a, b) => (b.length > a.length ? b : a));
    const widest = await renderFrame([{ gridPath, caption, title: widestLine }], layout, caption);
    expect((await sharp(longer).metadata()).width).toBe((await sharp(widest).metadata()).width);
  });
});

describe('without fonts', () => {
  it('stops with an error naming the package to install, and writes nothing', async () => {
    const runDir = await makeFixtureRun(root, { id: 'nofont', epochs: 2 });
    const fontsConf = join(root, 'no-fonts.conf');
    await writeFile(
      fontsConf,
      `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>${join(root, 'no-font-dir')}</dir><cachedir>${join(root, 'fc-cache')}</cachedir></fontconfig>`,
    );
    const out = join(root, 'nofont.gif');
    // A whole CLI start (tsx compiling the export path) can take over a minute on a loaded 2-core
    // machine: a tight timeout killed it once and left stderr empty.
    const result = spawnSync(process.execPath, [join(packageRoot(), 'src/cli/gan-studio.js'), 'export', runDir, '--out', out], {
      env: { ...process.env, FONTCONFIG_FILE: fontsConf },
      encoding: 'utf8',
      timeout: 170_000,
    });
    expect(result.error).toBeUndefined();
    expect(result.stderr).toMatch(/No font is available/);
    expect(result.stderr).toMatch(/fonts-dejavu-core/);
    expect(result.status).toBe(1);
    expect(existsSync(out)).toBe(false);
  }, 180_000);
});
