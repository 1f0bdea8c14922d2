/**
 * The evidence pack's quality section on fixture runs with scores.jsonl: one
 * chart per score, the verdict sentences against the baseline with the seeds
 * behind each arm (other seeds in the runs folder join their arm), and the
 * same numbers in evidence.json.
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
  variant = await makeFixtureRun(root, { id: 'fast-1', name: 'faster G', ...faster, scores: scored([80, 50, 40], [10, 40, 60]) });
  await makeFixtureRun(root, { id: 'fast-2', name: 'faster G seed 3', ...faster, config: { ...faster.config, seed: 3 }, scores: scored([82, 52, 41], [9, 38, 62]) });
  // A run of another config is no seed of either arm.
  await makeFixtureRun(root, { id: 'other', epochs: 3, config: { seed: 1, dropout: 0.1 }, scores: scored([1, 1, 1], [99, 99, 99]) });
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('evidence pack quality scores', () => {
  it('charts each score, states one verdict per score with the seeds behind it, and keeps the numbers in evidence.json', async () => {
    const out = join(root, 'pack');
    const result = await writeEvidence({ runDir: variant, baselineRunDir: baseline, outDir: out });
    const files = await readdir(out);
    expect(files).toEqual(expect.arrayContaining(['score-fid.svg', 'score-recognisable.svg']));
    expect(files.filter((f) => f.startsWith('score-'))).toHaveLength(2);
    const recognisableSvg = await readFile(join(out, 'score-recognisable.svg'), 'utf8');
    expect(recognisableSvg).toContain('stroke-dasharray'); // real images' own score, dashed
    expect(recognisableSvg).toContain('baseline: baseline · seed 2');

    // FID: variant seeds 40, 41 (mean 40.5, SE 0.5) vs baseline 60, 62 (mean 61, SE 1).
    expect(result.scores?.verdicts).toEqual([
      'faster G beats baseline on FID at epoch 3: 40.5 ± 1.0 vs 61.0 ± 2.0 (lower is better; 2 seeds each, n = 64 samples per run; ± is 2 standard errors).',
      'faster G beats baseline on Recognisable % at epoch 3: 61.0 ± 2.0 vs 29.0 ± 2.0 (higher is better; 2 seeds each, n = 64 samples per run; ± is 2 standard errors).',
    ]);
    expect(result.scores?.seeds).toEqual([
      "This run's arm: 2 seeds (faster G, seed 1; faster G seed 3, seed 3).",
      "Baseline's arm: 2 seeds (baseline, seed 1; baseline seed 2, seed 2).",
    ]);
    expect(result.scores?.rows[0]).toEqual({ label: 'FID (lower is better)', value: '40.0 ± 0.5 (n = 64)', seeds: '40.5 ± 1.0 (n = 64) over 2 seeds (± 2 SE)' });

    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).toContain('Quality scores');
    expect(html).toContain('faster G beats baseline on FID at epoch 3');
    expect(html).toContain('held-out accuracy 90.0%');
    expect(html).toContain('src="score-fid.svg"');
    const json = JSON.parse(await readFile(join(out, 'evidence.json'), 'utf8')) as { scores: { verdicts: string[] } };
    expect(json.scores.verdicts).toHaveLength(2);
  });

  it('a baseline with the same settings is another seed of the same arm: no verdict, and it says so', async () => {
    const result = await writeEvidence({ runDir: baseline, baselineRunDir: join(root, 'base-2'), outDir: join(root, 'same') });
    expect(result.scores?.verdicts).toEqual([]);
    expect(result.scores?.note).toMatch(/only the seed differs/);
  });
});
