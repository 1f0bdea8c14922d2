/**
 * `gan-studio score` in-process: a folder of real Fashion-MNIST PNGs against
 * the built-in sample (its classifier cached in the scores test fixture), a
 * run's recorded scores, a run scored from its checkpoint, and bad input.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import type { ScoresRecord } from '../../shared/scores';
import { SCORE_NAMES, SCORE_SPECS } from '../../shared/scores';
import { datasetSplit } from '../../main/scores/split';
import { fashionFixture, FIXTURE_CACHE } from '../../main/scores/test-fixture';
import { TrainingControl } from '../../main/training/control';
import { writeSquaresDataset } from '../../main/common/test-support';
import { runTrainer } from '../../main/training/trainer-run';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';
import { help, run } from './score';

let root: string;
let folder: string;
const savedHome = process.env.GAN_STUDIO_HOME;

function captureLog(): { text: () => string } {
  const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  return { text: () => spy.mock.calls.map((call) => call.join(' ')).join('\n') };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'score-cli-'));
  // The CLI's dataset cache is the fixture's, so the built-in sample's classifier is trained once for all tests.
  process.env.GAN_STUDIO_HOME = dirname(FIXTURE_CACHE);
  const { dataset } = await fashionFixture();
  folder = join(root, 'held-out');
  await mkdir(folder);
  const { heldOut } = datasetSplit(dataset.manifest.count);
  for (let i = 0; i < 60; i += 1) {
    const pixels = await dataset.read([heldOut[i]!]);
    await sharp(Buffer.from(pixels), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(join(folder, `${String(i).padStart(3, '0')}.png`));
  }
}, 600_000);

afterAll(() => {
  if (savedHome === undefined) delete process.env.GAN_STUDIO_HOME;
  else process.env.GAN_STUDIO_HOME = savedHome;
  vi.restoreAllMocks();
});

describe('gan-studio score', () => {
  it('scores a folder of images against the built-in sample, as text and as JSON', async () => {
    let log = captureLog();
    await expect(run(['--images', folder, '--against', 'sample', '--sample-size', '60'])).resolves.toBe(EXIT.ok);
    expect(log.text()).toMatch(/against "Fashion-MNIST \(test set\)": 60 images scored/);
    // One line per score of the shared list, with its own direction (a flipped direction in SCORE_SPECS shows here).
    for (const spec of SCORE_SPECS) {
      const label = spec.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(log.text()).toMatch(new RegExp(`${label} +\\S+${spec.unit} ± \\S+${spec.unit} \\(n = 60\\) +${spec.direction} is better`));
    }
    expect(log.text()).toMatch(/held-out accuracy \d+\.\d%/);
    expect(log.text()).toContain('not with papers');
    vi.restoreAllMocks();

    log = captureLog();
    await expect(run(['--images', folder, '--against', 'sample', '--sample-size', '60', '--json'])).resolves.toBe(EXIT.ok);
    const report = JSON.parse(log.text());
    expect(Object.keys(report.scores).sort()).toEqual([...SCORE_NAMES].sort());
    for (const name of SCORE_NAMES) expect(report.scores[name]).toEqual({ value: expect.any(Number), std: expect.any(Number), n: 60 });
    // Real held-out images: recognisable in percent, near real images' own share.
    expect(report.scores.recognisable.value).toBeGreaterThan(15);
    expect(report.feature.network).toMatch(/classifier/);
    vi.restoreAllMocks();
  });

  it('prints a run’s recorded scores, and scores its latest checkpoint when asked for that epoch', async () => {
    const datasetDir = await writeSquaresDataset(join(root, 'squares'), 24);
    const runDir = join(root, 'run');
    const config = resolveTrainingConfig({ preset: 'tiny', seed: 1, batchSize: 8, epochs: 2, scoreEvery: 0, earlySampleSteps: [] });
    await runTrainer({ type: 'start', runDir, datasetDir, config, resume: false, backend: 'cpu' }, () => undefined, new TrainingControl());
    const record: ScoresRecord = {
      epoch: 1,
      step: 3,
      seconds: 0.5,
      sampleSize: 20,
      feature: { network: 'random projection' },
      scores: { kid: { value: 0.25, std: 0.01, n: 20 }, swd: { value: 12, std: 1, n: 20 } },
    };
    await writeFile(join(runDir, 'scores.jsonl'), JSON.stringify(record) + '\n');

    let log = captureLog();
    await expect(run([runDir, '--json'])).resolves.toBe(EXIT.ok);
    expect(JSON.parse(log.text())).toMatchObject({ epoch: 1, recorded: true, scores: record.scores });
    vi.restoreAllMocks();

    log = captureLog();
    await expect(run([runDir, '--epoch', '2', '--json', '--sample-size', '20'])).resolves.toBe(EXIT.ok);
    const fresh = JSON.parse(log.text());
    expect(fresh).toMatchObject({ epoch: 2, step: 6, sampleSize: 20 });
    // Unlabelled squares: the scores that need no classifier, and every other one skipped, in the list's order.
    expect(Object.keys(fresh.scores).sort()).toEqual(SCORE_SPECS.filter((spec) => !spec.needsClassifier).map((spec) => spec.name).sort());
    expect(fresh.skipped.map((s: { name: string }) => s.name)).toEqual(SCORE_SPECS.filter((spec) => spec.needsClassifier).map((spec) => spec.name));
    vi.restoreAllMocks();

    await expect(run([runDir, '--epoch', '7'])).rejects.toThrow(/no scores for epoch 7.*no intact checkpoint of that epoch/);
  });

  it.each([
    [[], /Expected RUN, or --images FOLDER --against DATASET/],
    [['--images', 'x'], /Expected --against DATASET/],
    [['r', '--images', 'x', '--against', 'sample'], /either RUN or --images/],
    [['--images', 'x', '--against', 'sample', '--epoch', '2'], /--epoch applies to a RUN/],
    [['r', '--epoch', '0'], /--epoch to be a positive whole number/],
    [['r', '--sample-size', '5'], /--sample-size of at least 10/],
    [['r', '--backend', 'gpu9'], /--backend to be one of/],
    [['/nonexistent/run'], /No run at \/nonexistent\/run/],
  ])('rejects %j with a usage error (exit 2)', async (argv, message) => {
    const failure = run(argv);
    await expect(failure).rejects.toThrow(CliError);
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.toMatchObject({ exitCode: EXIT.usage });
  });

  it('documents both forms and every option in --help', () => {
    for (const flag of ['--epoch', '--images', '--against', '--sample-size', '--json', '--backend', 'sample']) expect(help).toContain(flag);
  });
});
