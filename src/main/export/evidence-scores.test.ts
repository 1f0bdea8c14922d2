/**
 * The evidence pack's quality section on fixture runs with scores.jsonl: one
 * chart per score, the verdict sentences against the baseline (the same ones
 * Compare and the CLI print) with the seeds behind each arm (other seeds in
 * the runs folder join their arm), and the same numbers in evidence.json.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreMap } from '../../shared/scores';
import { writeEvidence } from './evidence';
import { makeFixtureRun } from './test-fixtures';

let root: string;
let baseline: string;
let variant: string;

const scored = (fid: number[], recognisable: number[]): ScoreMap[] =>
  fid.map((value, i) => ({ fid: { value, std: 0.5, n: 64 }, recognisable: { value: recognisable[i]!, std: 2, n: 64 } }));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'export-evidence-scores-'));
  const base = { epochs: 3, config: { seed: 1 } };
  const faster = { epochs: 3, config: { seed: 1, generatorLearningRate: 0.004 } };
  baseline = await makeFixtureRun(root, { id: 'base-1', name: 'baseline', ...base, scores: scored([90, 70, 60], [5, 20, 30]) });
  await makeFixtureRun(root, { id: 'base-2', name: 'baseline seed 2', ...base, config: { seed: 2 }, scores: scored([92, 72, 62], [4, 18, 28]) });
  await makeFixtureRun(root, { id: 'base-3', name: 'baseline seed 3', ...base, config: { seed: 3 }, scores: scored([91, 71, 61], [4, 19, 29]) });
  variant = await makeFixtureRun(root, { id: 'fast-1', name: 'faster G', ...faster, scores: scored([80, 50, 40], [10, 30, 31]) });
  await makeFixtureRun(root, { id: 'fast-2', name: 'faster G seed 3', ...faster, config: { ...faster.config, seed: 3 }, scores: scored([82, 52, 41], [9, 31, 33]) });
  await makeFixtureRun(root, { id: 'fast-3', name: 'faster G seed 4', ...faster, config: { ...faster.config, seed: 4 }, scores: scored([81, 51, 42], [9, 32, 35]) });
  // A run of another config is no seed of either arm.
  await makeFixtureRun(root, { id: 'other', epochs: 3, config: { seed: 1, dropout: 0.1 }, scores: scored([1, 1, 1], [99, 99, 99]) });
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('evidence pack quality scores', () => {
  it('charts each score, tests each score over 3 seeds per arm (Welch + Holm) and keeps the numbers in evidence.json', async () => {
    const out = join(root, 'pack');
    const result = await writeEvidence({ runDir: variant, baselineRunDir: baseline, outDir: out });
    const files = await readdir(out);
    expect(files).toEqual(expect.arrayContaining(['score-fid.svg', 'score-recognisable.svg']));
    expect(files.filter((f) => f.startsWith('score-'))).toHaveLength(2);
    const recognisableSvg = await readFile(join(out, 'score-recognisable.svg'), 'utf8');
    expect(recognisableSvg).toContain('stroke-dasharray'); // real images' own score, dashed
    expect(recognisableSvg).toContain('baseline: baseline · seed 2');

    // FID at epoch 3: 40, 41, 42 vs 60, 62, 61 — Welch p = 1.6e-5; recognisable 31, 33, 35 vs 30, 28, 29 — p = 0.0548,
    // which Holm over the two scores keeps at 0.0548 > 0.05 (mpmath).
    expect(result.scores?.verdicts).toEqual([
      "faster G beats baseline on FID at epoch 3: 41.0 ± 1.0 vs 61.0 ± 1.0 (mean ± std over 3 seeds each; lower is better; Welch's t-test p < 0.001, Holm-adjusted over 2 scores p < 0.001).",
      "No clear difference on Recognisable % at epoch 3: faster G 33.0% ± 2.0% vs baseline 29.0% ± 1.0% (mean ± std over 3 seeds each; higher is better; Welch's t-test p = 0.055, Holm-adjusted over 2 scores p = 0.055 > 0.05).",
    ]);
    expect(result.scores?.notes).toEqual([]);
    // The picked run first, then the other seeds found in the runs folder.
    const [ownSeeds, baseSeeds] = result.scores!.seeds;
    expect(ownSeeds).toMatch(/^This run's arm: 3 seeds \(faster G, seed 1; /);
    expect(ownSeeds).toContain('faster G seed 3, seed 3');
    expect(ownSeeds).toContain('faster G seed 4, seed 4');
    expect(baseSeeds).toMatch(/^Baseline's arm: 3 seeds \(baseline, seed 1; /);
    expect(baseSeeds).toContain('baseline seed 3, seed 3');
    expect(result.scores?.rows[0]).toEqual({ label: 'FID (lower is better)', value: '40.0 ± 0.5 (n = 64)', seeds: '41.0 ± 1.0 (n = 64) over 3 seeds' });

    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).toContain('Quality scores');
    expect(html).toContain('faster G beats baseline on FID at epoch 3');
    expect(html).toContain('A verdict needs 3 seeds per arm');
    expect(html).toContain('held-out accuracy 90.0%');
    expect(html).toContain('src="score-fid.svg"');
    const json = JSON.parse(await readFile(join(out, 'evidence.json'), 'utf8')) as { scores: { verdicts: string[] } };
    expect(json.scores.verdicts).toHaveLength(2);
  });

  it('one seed per arm: the sentences only lean, and the pack says how to get a verdict', async () => {
    const lone = await mkdtemp(join(tmpdir(), 'export-evidence-lone-'));
    try {
      const b = await makeFixtureRun(lone, { id: 'b', name: 'baseline', epochs: 1, config: { seed: 1 }, scores: scored([60], [30]) });
      const v = await makeFixtureRun(lone, { id: 'v', name: 'quick · Fashion-MNIST · hinge loss', epochs: 1, config: { seed: 2, loss: 'hinge' }, scores: scored([40], [50]) });
      const result = await writeEvidence({ runDir: v, baselineRunDir: b, outDir: join(lone, 'pack') });
      expect(result.scores?.verdicts).toEqual([
        'quick · Fashion-MNIST · hinge loss leans lower on FID than baseline at epoch 1: 40.0 vs 60.0 (1 seed each; lower is better). Not a verdict: that needs 3 seeds per arm — repeat with seeds.',
        'quick · Fashion-MNIST · hinge loss leans higher on Recognisable % than baseline at epoch 1: 50.0% vs 30.0% (1 seed each; higher is better). Not a verdict: that needs 3 seeds per arm — repeat with seeds.',
      ]);
      expect(result.scores?.notes).toEqual([expect.stringMatching(/^For a verdict, repeat with seeds: “baseline” has 1, “quick · Fashion-MNIST · hinge loss” has 1 of the 3 scored seeds an arm needs\./)]);
      // One epoch is still drawn: a marked point per run on every score chart.
      const fid = await readFile(join(lone, 'pack', 'score-fid.svg'), 'utf8');
      expect(fid.match(/ecmeta_ssr_type="chart"/g)?.length).toBeGreaterThanOrEqual(2);
      const fake = await readFile(join(lone, 'pack', 'fake-accuracy-vs-baseline.svg'), 'utf8');
      expect(fake.match(/ecmeta_ssr_type="chart"/g)?.length).toBeGreaterThanOrEqual(2);
    } finally {
      await rm(lone, { recursive: true, force: true });
    }
  });

  it('a baseline scored on another scale is neither charted with this run nor judged', async () => {
    const other = await makeFixtureRun(root, { id: 'big-n', name: 'scored on 128', epochs: 3, config: { seed: 5, dropout: 0.2 }, scores: scored([1, 1, 1], [1, 1, 1]), scoreSampleSize: 128 });
    const result = await writeEvidence({ runDir: variant, baselineRunDir: other, outDir: join(root, 'scales') });
    expect(result.scores?.verdicts).toEqual([]);
    expect(result.scores?.notes).toEqual([
      expect.stringMatching(/^The baseline's scores are not charted with this run's: they are on another scale \(fixture, fixture classifier, n = 128; this run: fixture, fixture classifier, n = 64\)\.$/),
      expect.stringMatching(/were scored on different scales at epoch 3/),
    ]);
    expect(await readFile(join(root, 'scales', 'score-fid.svg'), 'utf8')).not.toContain('scored on 128');
  });

  it('a baseline with the same settings is another seed of the same arm: no verdict, and it says so', async () => {
    const result = await writeEvidence({ runDir: baseline, baselineRunDir: join(root, 'base-2'), outDir: join(root, 'same') });
    expect(result.scores?.verdicts).toEqual([]);
    expect(result.scores?.notes).toEqual([expect.stringMatching(/only the seed differs/)]);
  });
});
