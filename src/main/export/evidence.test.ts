/**
 * The evidence pack on fixture runs: a self-contained folder (every src/href
 * is a file inside it, no scripts, no URLs), the baseline comparison with its
 * numbers and config diff, replacement of an earlier pack, and cancel.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, normalize, sep } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportCancelledError } from './errors';
import { writeEvidence } from './evidence';
import { makeFixtureRun } from './test-fixtures';

let root: string;
let baseline: string;
let improved: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'export-evidence-'));
  baseline = await makeFixtureRun(root, { id: 'baseline', name: 'Baseline <tiny>', epochs: 3 });
  improved = await makeFixtureRun(root, { id: 'improved', name: 'Lower D lr', epochs: 4, config: { discriminatorLearningRate: 0.0002 } });
});

afterAll(() => rm(root, { recursive: true, force: true }));

/** Every src= and href= value of an HTML page. */
function references(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)].map((m) => m[2] ?? m[3] ?? m[4] ?? '');
}

/** Check the page only points at files inside `dir`. */
async function expectSelfContained(dir: string): Promise<string[]> {
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  const refs = references(html);
  expect(refs.length).toBeGreaterThan(0);
  for (const ref of refs) {
    expect(ref).not.toMatch(/^[a-z][a-z0-9+.-]*:/i); // no http:, file:, data: …
    expect(ref.startsWith('/') || ref.startsWith('\\')).toBe(false);
    const target = normalize(join(dir, ref));
    expect(target.startsWith(dir + sep)).toBe(true);
    expect(existsSync(target)).toBe(true);
  }
  expect(html).not.toMatch(/<script|<link|@import|url\(/i);
  expect(html).not.toMatch(/https?:\/\//);
  return refs;
}

describe('writeEvidence', () => {
  it('writes a self-contained page for one run', async () => {
    const out = join(root, 'single');
    const result = await writeEvidence({ runDir: improved, outDir: out });
    const refs = await expectSelfContained(out);
    expect(refs.sort()).toEqual(['accuracy.svg', 'final-grid.png', 'loss.svg', 'progress.gif']);
    expect((await readdir(out)).sort()).toEqual(['accuracy.svg', 'evidence.json', 'final-grid.png', 'index.html', 'loss.svg', 'progress.gif']);
    expect(await readFile(join(out, 'accuracy.svg'), 'utf8')).toContain('stroke-dasharray');
    expect(result.run.final?.epoch).toBe(4);
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).toContain('After epoch 4');
    expect(html).not.toContain('Against the baseline');
  });

  it('adds the baseline comparison: same-latent grids, config diff, numbers with honest wording', async () => {
    const out = join(root, 'with-baseline');
    const progress: number[] = [];
    const result = await writeEvidence({ runDir: improved, baselineRunDir: baseline, outDir: out, onProgress: (p) => progress.push(p.done) });
    const refs = await expectSelfContained(out);
    // The runs trained 3 and 4 epochs: also both grids after epoch 3.
    expect(refs).toEqual(expect.arrayContaining(['baseline-vs-run.png', 'baseline-vs-run-epoch-3.png', 'fake-accuracy-vs-baseline.svg']));
    const html = await readFile(join(out, 'index.html'), 'utf8');
    // The run name is escaped, never raw HTML.
    expect(html).toContain('Baseline &lt;tiny&gt;');
    expect(html).not.toContain('Baseline <tiny>');
    // Settings by their human label (config-fields.ts), not the raw key.
    expect(html).toMatch(/<td>D learning rate<\/td><td>0\.001<\/td><td>0\.0002<\/td>/);
    expect(html).toMatch(/<td>Epochs<\/td><td>3<\/td><td>4<\/td>/);
    expect(html).toContain('Both grids are drawn from the same latent vectors');
    expect(html).toContain('different numbers of epochs (4 vs 3');
    expect(html).toContain('not a measure of image quality');
    expect(result.baseline?.comparison.sharedNoise).toBe(true);
    // Side by side: two 70 px grids scaled ×4 plus the gap.
    const meta = await sharp(join(out, 'baseline-vs-run.png')).metadata();
    expect(meta.width).toBeGreaterThanOrEqual(2 * 280);
    const summary = JSON.parse(await readFile(join(out, 'evidence.json'), 'utf8'));
    expect(summary.run.final.epoch).toBe(4);
    expect(summary.baseline.final.epoch).toBe(3);
    expect(summary.run.fakeAccuracyDistance).toBeLessThan(summary.baseline.fakeAccuracyDistance);
    expect(html).toContain('this run ended closer to the 0.5 balance point than the baseline');
    expect(progress.at(-1)).toBe(100);

    // Writing the pack again replaces the earlier one.
    await writeEvidence({ runDir: improved, baselineRunDir: baseline, outDir: out });
    await expectSelfContained(out);
  });

  it('never overwrites a folder that is not an evidence pack', async () => {
    const out = join(root, 'my-folder');
    await mkdir(out);
    await writeFile(join(out, 'thesis.txt'), 'mine');
    await expect(writeEvidence({ runDir: improved, outDir: out })).rejects.toThrow(/already holds other files/);
    expect(await readdir(out)).toEqual(['thesis.txt']);
  });

  it('a cancelled pack leaves nothing behind', async () => {
    const controller = new AbortController();
    const out = join(root, 'cancelled');
    const run = writeEvidence({
      runDir: improved,
      outDir: out,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done > 0) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(ExportCancelledError);
    expect(existsSync(out)).toBe(false);
    expect((await readdir(root)).filter((name) => name.includes('partial'))).toEqual([]);
  });
});
