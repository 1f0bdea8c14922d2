/**
 * Validation on real Fashion-MNIST (as Heusel et al. did for FID): every
 * score must get monotonically worse as held-out real images are disturbed
 * more, recall must fall for a mode-collapsed set, and held-out real images
 * must score like the training images they stand in for (KID ≈ 0).
 * Set SCORES_TABLE=path to write the measured table (docs/scores.md shows it).
 */
import { writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScoreMap, ScoreName } from '../../shared/scores';
import { SCORE_SPECS } from '../../shared/scores';
import { Rng } from '../common/rng';
import { addGaussianNoise, blurImages, maskImages, mixIn, uniformNoiseImages } from './corrupt';
import type { DatasetReader } from '../data';
import type { FeatureNetwork } from './feature-network';
import type { ImageSet } from './images';
import { readImageSet } from './images';
import type { ScoreReference } from './score-images';
import { datasetShape, prepareReference, scoreImages } from './score-images';
import { datasetSplit } from './split';
import { fashionFixture } from './test-fixture';

const N = 300;

let dataset: DatasetReader;
let network: FeatureNetwork;
let reference: ScoreReference;
let heldOut: ImageSet;
let clean: ScoreMap;
const rows: { name: string; scores: ScoreMap }[] = [];

const score = async (images: ImageSet) => (await scoreImages({ generated: images, dataset, network, sampleSize: N, reference })).scores;

beforeAll(async () => {
  ({ dataset, network } = await fashionFixture());
  reference = await prepareReference(dataset, network, N);
  const { heldOut: indices } = datasetSplit(dataset.manifest.count);
  heldOut = await readImageSet(dataset, datasetShape(dataset), indices.subarray(0, N));
  clean = await score(heldOut);
}, 600_000);

const DISTURBANCES: { name: string; levels: string[]; apply(images: ImageSet, level: number, rng: Rng): ImageSet }[] = [
  { name: 'Gaussian noise σ', levels: ['0.1', '0.2', '0.4'], apply: (images, level, rng) => addGaussianNoise(images, [0.1, 0.2, 0.4][level]!, rng) },
  { name: 'blur radius', levels: ['1 px', '2 px', '3 px'], apply: (images, level) => blurImages(images, level + 1) },
  { name: 'masked area', levels: ['15%', '30%', '50%'], apply: (images, level, rng) => maskImages(images, [0.15, 0.3, 0.5][level]!, rng) },
  {
    name: 'noise images mixed in',
    levels: ['20%', '50%', '80%'],
    apply: (images, level, rng) => mixIn(images, uniformNoiseImages(images.n, images, rng), [0.2, 0.5, 0.8][level]!, rng),
  },
];

/** a is worse than b for this score. */
function worse(name: ScoreName, a: number, b: number): boolean {
  return SCORE_SPECS.find((spec) => spec.name === name)!.direction === 'lower' ? a > b : a < b;
}

describe('scores on real Fashion-MNIST', () => {
  it('held-out real images score like training images: KID within 2 std of 0, recognisable like the classifier says', async () => {
    rows.push({ name: 'held-out real (no disturbance)', scores: clean });
    expect(Math.abs(clean.kid!.value)).toBeLessThanOrEqual(2 * clean.kid!.std + 1e-6);
    expect(clean.precision!.value).toBeGreaterThan(0.6);
    expect(clean.recall!.value).toBeGreaterThan(0.6);
    expect(network.feature.accuracy).toBeGreaterThan(0.7);
    expect(clean.recognisable!.value).toBeGreaterThan(30);
  });

  for (const disturbance of DISTURBANCES) {
    it(`every score gets worse with ${disturbance.name}`, async () => {
      const levels: ScoreMap[] = [clean];
      for (let level = 0; level < 3; level += 1) {
        const scores = await score(disturbance.apply(heldOut, level, new Rng(100 + level)));
        levels.push(scores);
        rows.push({ name: `${disturbance.name} ${disturbance.levels[level]}`, scores });
      }
      for (const spec of SCORE_SPECS) {
        const values = levels.map((scores) => scores[spec.name]!.value);
        for (let level = 1; level < values.length; level += 1) {
          expect(worse(spec.name, values[level]!, values[level - 1]!), `${spec.name}: ${values.map((v) => v.toPrecision(3)).join(' → ')}`).toBe(true);
        }
      }
    });
  }

  it('recall falls for a mode-collapsed set (5 images repeated)', async () => {
    const size = heldOut.data.length / heldOut.n;
    const collapsed: ImageSet = { ...heldOut, data: heldOut.data.map((_, k) => heldOut.data[(Math.floor(k / size) % 5) * size + (k % size)]!) };
    const scores = await score(collapsed);
    rows.push({ name: 'mode collapse (5 images repeated)', scores });
    expect(scores.recall!.value).toBeLessThan(0.2 * clean.recall!.value);
    expect(worse('fid', scores.fid!.value, clean.fid!.value)).toBe(true);
    expect(worse('kid', scores.kid!.value, clean.kid!.value)).toBe(true);
  });

  it('tabulates every disturbance against every score (written to SCORES_TABLE when set)', async () => {
    const header = `| images (n = ${N} each, vs ${N} training images) | ${SCORE_SPECS.map((s) => `${s.label} (${s.direction === 'lower' ? '↓' : '↑'})`).join(' | ')} |`;
    const lines = rows.map(({ name, scores }) => `| ${name} | ${SCORE_SPECS.map((s) => format(scores[s.name]!)).join(' | ')} |`);
    // One row per measured set (clean, 3 levels of each disturbance, mode collapse), one cell per score.
    expect(lines).toHaveLength(1 + 3 * DISTURBANCES.length + 1);
    for (const line of lines) expect(line.split(' | ')).toHaveLength(SCORE_SPECS.length + 1);
    const path = process.env.SCORES_TABLE;
    if (path) {
      const feature = `Feature network: ${network.feature.network}, held-out accuracy ${(100 * network.feature.accuracy!).toFixed(1)}%.`;
      await writeFile(path, [feature, '', header, `|${' --- |'.repeat(SCORE_SPECS.length + 1)}`, ...lines, ''].join('\n'));
    }
  });
});

function format(value: { value: number; std: number }): string {
  const digits = Math.abs(value.value) < 0.1 ? 4 : Math.abs(value.value) < 10 ? 3 : 1;
  return `${value.value.toFixed(digits)} ± ${value.std.toFixed(digits)}`;
}
