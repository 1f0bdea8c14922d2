/**
 * The CLI's verdict: `gan-studio score RUN --baseline RUN` and
 * `gan-studio evidence --baseline` print the same sentences the evidence page
 * (and Compare, through armVerdicts) shows, on run folders with scores.jsonl;
 * other seeds in the runs folder join their arm.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ScoreMap } from '../../shared/scores';
import { writeEvidence } from '../../main/export';
import { makeFixtureRun } from '../../main/export/test-fixtures';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';
import { run as evidence } from './evidence';
import { help, run as score } from './score';

let root: string;
let baseline: string;
let variant: string;
let lone: string;

const fid = (value: number): ScoreMap => ({ fid: { value, std: 0.5, n: 64 }, precision: { value: 0.4 + value / 1000, std: 0.06, n: 64 } });

function captureLog(): { text: () => string } {
  const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  return { text: () => spy.mock.calls.map((call) => call.join(' ')).join('\n') };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'score-verdict-cli-'));
  const hinge = { seed: 1, loss: 'hinge' as const };
  baseline = await makeFixtureRun(root, { id: 'base-1', name: 'baseline', epochs: 2, config: { seed: 1 }, scores: [fid(90), fid(60)] });
  for (const [i, value] of [62, 61].entries()) await makeFixtureRun(root, { id: `base-${i + 2}`, epochs: 2, config: { seed: i + 2 }, scores: [fid(90), fid(value)] });
  variant = await makeFixtureRun(root, { id: 'hinge-1', name: 'hinge loss', epochs: 2, config: hinge, scores: [fid(80), fid(40)] });
  for (const [i, value] of [41, 42].entries()) await makeFixtureRun(root, { id: `hinge-${i + 2}`, epochs: 2, config: { ...hinge, seed: i + 2 }, scores: [fid(80), fid(value)] });
  lone = await makeFixtureRun(root, { id: 'lone', name: 'dropout 0.2', epochs: 2, config: { seed: 9, dropout: 0.2 }, scores: [fid(85), fid(50)] });
}, 120_000);

afterAll(() => rm(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('gan-studio score --baseline', () => {
  it('prints the evidence page’s sentences word for word, with the rule', async () => {
    const pack = await writeEvidence({ runDir: variant, baselineRunDir: baseline, outDir: join(root, 'pack') });
    const log = captureLog();
    await expect(score([variant, '--baseline', baseline])).resolves.toBe(EXIT.ok);
    const text = log.text();
    expect(text).toContain('Verdict: “hinge loss” (3 seeds) against the baseline “baseline” (3 seeds) at epoch 2');
    expect(pack.scores!.verdicts).toHaveLength(2);
    for (const sentence of pack.scores!.verdicts) expect(text).toContain(`  ${sentence}\n`);
    expect(text).toMatch(/ {2}hinge loss beats baseline on FID at epoch 2: 41\.0 ± 1\.0 vs 61\.0 ± 1\.0 \(mean ± std over 3 seeds each/);
    expect(text).toContain('A verdict needs 3 seeds per arm');

    // evidence --baseline prints the same lines after writing the pack.
    vi.restoreAllMocks();
    const again = captureLog();
    await expect(evidence([variant, '--baseline', baseline, '--out', join(root, 'pack')])).resolves.toBe(EXIT.ok);
    for (const sentence of pack.scores!.verdicts) expect(again.text()).toContain(`  ${sentence}\n`);
  }, 120_000);

  it('one seed against three only leans, says how to get a verdict, and --json carries kinds and p-values', async () => {
    const log = captureLog();
    await expect(score([lone, '--baseline', baseline, '--json'])).resolves.toBe(EXIT.ok);
    const report = JSON.parse(log.text()) as { verdict: { epoch: number; lines: { score: string; kind: string; sentence: string; p?: number }[]; notes: string[] } };
    expect(report.verdict.epoch).toBe(2);
    expect(report.verdict.lines.map((line) => [line.score, line.kind, line.p])).toEqual([
      ['fid', 'leans', undefined],
      ['precision', 'leans', undefined],
    ]);
    expect(report.verdict.lines[0]!.sentence).toBe(
      'dropout 0.2 leans lower on FID than baseline at epoch 2: 50.0 vs 61.0 ± 1.0 (mean ± std over 1 seed vs 3 seeds; lower is better). Not a verdict: that needs 3 seeds per arm — repeat with seeds.',
    );
    expect(report.verdict.notes).toEqual([expect.stringMatching(/^For a verdict, repeat with seeds: “dropout 0.2” has 1 of the 3 scored seeds an arm needs\./)]);

    vi.restoreAllMocks();
    const tested = captureLog();
    await expect(score([variant, '--baseline', baseline, '--json'])).resolves.toBe(EXIT.ok);
    const line = (JSON.parse(tested.text()) as typeof report).verdict.lines[0]!;
    // FID 40, 41, 42 vs 60, 62, 61: Welch t = −24.49, df = 4, p = 1.648e-5 (mpmath).
    expect(line.kind).toBe('better');
    expect(line.p! / 1.6483088987181252e-5).toBeCloseTo(1, 8);
  });

  it('refuses --baseline without a run, and a baseline that is not a run, before any work', async () => {
    await expect(score(['--images', root, '--against', 'sample', '--baseline', baseline])).rejects.toThrow(CliError);
    await expect(score([variant, '--baseline', join(root, 'nope')])).rejects.toThrow(/No run at .*nope/);
    expect(help).toContain('--baseline RUN');
  });
});
