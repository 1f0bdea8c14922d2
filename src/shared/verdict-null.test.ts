/**
 * The verdict rule measured on real runs, not assumed. fixtures/ holds the six
 * scores of real `gan-studio train` runs, recorded once by
 * src/cli/record-seed-scores.ts (docs/scores.md says how):
 * - tiny-seed-scores.json: tiny on the built-in Fashion-MNIST, 3 epochs, many seeds;
 * - tiny-slow-g-seed-scores.json: the same with a 10× lower generator learning
 *   rate (--g-lr 0.0001), 1 epoch: a recipe with a large, known effect.
 *
 * Null pairs — two arms of 3 different seeds of the SAME config — may get a
 * "beats"/"is worse than" on any of the six scores in at most 5% of pairs (the
 * family-wise error Holm controls). Known real effects must be detected at 3
 * seeds each. Set VERDICT_RATES=path to write the measured rates.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from './config';
import { armVerdicts, groupArms, type ArmRun } from './score-arms';
import type { SeedScoresFixture } from './seed-scores-fixture';
import { SCORE_SPECS, type ScoreMap, type ScoreName } from './scores';
import { DEFAULT_VERDICT_RULE, type VerdictKind } from './verdict';

const load = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as SeedScoresFixture;
const base = load('tiny-seed-scores.json');
const slowG = load('tiny-slow-g-seed-scores.json');
const EPOCHS = [...new Set(base.seeds.flatMap((seed) => seed.epochs.map((e) => e.epoch)))].sort((a, b) => a - b);
const [FIRST, LAST] = [EPOCHS[0]!, EPOCHS.at(-1)!];
const K = DEFAULT_VERDICT_RULE.minSeeds;
/** Pairs of arms drawn per comparison (with a fixed seed). */
const PAIRS = 2000;

/** One arm: which fixture, which of its seeds (by index), and which epoch's scores. */
interface ArmDraw {
  fixture: SeedScoresFixture;
  seeds: number[];
  epoch: number;
}

/** Every k-subset of 0..n−1, in lexicographic order. */
function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (let first = 0; first <= n - k; first++) for (const rest of subsets(n - first - 1, k - 1)) out.push([first, ...rest.map((i) => i + first + 1)]);
  return out;
}

/** A fixed-seed generator (mulberry32), so the drawn pairs are the same every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `k` of `items`, drawn without replacement. */
function pick<T>(items: T[], k: number, random: () => number): T[] {
  const copy = [...items];
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, k);
}

/**
 * PAIRS random pairs of k-seed arms (seed indices), the first from fixture `a`, the second from
 * `b`, sharing no seed number: one seed's runs of two configs start alike, so they are not
 * independent. (All pairs would be too many: 20 seeds give 387,600 pairs of 3-seed arms.)
 */
function armPairs(a: SeedScoresFixture, b: SeedScoresFixture, k: number): [number[], number[]][] {
  const random = seededRandom(20_261_207 + k);
  const indices = (f: SeedScoresFixture) => f.seeds.map((_, i) => i);
  return Array.from({ length: PAIRS }, () => {
    const first = pick(indices(a), k, random);
    const taken = new Set(first.map((i) => a.seeds[i]!.seed));
    return [first, pick(indices(b).filter((i) => !taken.has(b.seeds[i]!.seed)), k, random)];
  });
}

/** An arm's runs, each seed's scores at `epoch` presented as its record of epoch LAST (both arms must share one). */
function armRuns({ fixture, seeds, epoch }: ArmDraw, name: string, checkpointEvery: number): ArmRun[] {
  // Two arms need two configs: the arms differ in how often they checkpoint, which changes nothing they draw.
  const config = resolveTrainingConfig({ preset: 'tiny', seed: 1, checkpointEvery });
  return seeds.map((index) => {
    const seed = fixture.seeds[index]!;
    const recorded = seed.epochs.find((e) => e.epoch === epoch)!;
    const scores: ScoreMap = {};
    for (const [score, value] of Object.entries(recorded.values) as [ScoreName, number][]) scores[score] = { value, std: recorded.stds[score] ?? 0, n: fixture.sampleSize };
    return {
      id: `${name}-${seed.seed}`,
      name,
      config: { ...config, seed: seed.seed },
      datasetId: 'fashion-mnist',
      scores: [{ epoch: LAST, step: 0, seconds: 0, sampleSize: fixture.sampleSize, feature: { network: fixture.network }, scores }],
    };
  });
}

/** The verdict kind per score for `variant` against `baseline`. */
function judge(variant: ArmDraw, baseline: ArmDraw): Map<ScoreName, VerdictKind> {
  const runs = [...armRuns(baseline, 'baseline', 1), ...armRuns(variant, 'variant', 2)];
  const [baseArm, variantArm] = groupArms(runs);
  const result = armVerdicts(baseArm!, [variantArm!], runs);
  expect(result.lines).toHaveLength(SCORE_SPECS.length);
  return new Map(result.lines.map((line) => [line.score, line.verdict.kind]));
}

const claims = (kinds: Map<ScoreName, VerdictKind>) => [...kinds.values()].some((kind) => kind === 'better' || kind === 'worse');
const percent = (value: number) => `${(100 * value).toFixed(1)}%`;

/** How often `variant` arms beat `baseline` arms: on any score, per score, and how often a score went the other way. */
interface Detection {
  pairs: number;
  any: number;
  perScore: Map<ScoreName, number>;
  opposite: Map<ScoreName, number>;
}

function detect(variant: SeedScoresFixture, variantEpoch: number, baseline: SeedScoresFixture, baselineEpoch: number, k = K): Detection {
  const pairs = armPairs(variant, baseline, k);
  const perScore = new Map(SCORE_SPECS.map((spec) => [spec.name, 0]));
  const opposite = new Map(SCORE_SPECS.map((spec) => [spec.name, 0]));
  let any = 0;
  for (const [v, b] of pairs) {
    const kinds = judge({ fixture: variant, seeds: v, epoch: variantEpoch }, { fixture: baseline, seeds: b, epoch: baselineEpoch });
    if ([...kinds.values()].includes('better')) any++;
    for (const [score, kind] of kinds) {
      if (kind === 'better') perScore.set(score, perScore.get(score)! + 1);
      if (kind === 'worse') opposite.set(score, opposite.get(score)! + 1);
    }
  }
  return { pairs: pairs.length, any: any / pairs.length, perScore, opposite };
}

/**
 * The rule this one replaced, for contrast: one run per arm, "beats" when the two values are
 * further apart than twice the sum of each run's own std (its sampling spread, not the seeds').
 */
function oldRuleClaims(a: number, b: number, epoch: number): boolean {
  const at = (index: number) => base.seeds[index]!.epochs.find((e) => e.epoch === epoch)!;
  return SCORE_SPECS.some(({ name }) => Math.abs(at(a).values[name]! - at(b).values[name]!) > 2 * (at(a).stds[name]! + at(b).stds[name]!));
}

describe(`the verdict on real seeds (${base.preset}, ${base.seeds.length} seeds, ${base.sampleSize} samples per scoring)`, () => {
  let nullRates: { epoch: number; k: number; rate: number }[];
  let later: Detection;
  let laterFive: Detection;
  let slower: Detection;
  let oldRule: { epoch: number; pairs: number; rate: number }[];

  beforeAll(() => {
    nullRates = [K, 5].flatMap((k) =>
      EPOCHS.map((epoch) => {
        const hits = armPairs(base, base, k).filter(([a, b]) => claims(judge({ fixture: base, seeds: a, epoch }, { fixture: base, seeds: b, epoch }))).length;
        return { epoch, k, rate: hits / PAIRS };
      }),
    );
    later = detect(base, LAST, base, FIRST);
    laterFive = detect(base, LAST, base, FIRST, 5);
    // The baseline is the variant here: the preset's learning rate beats the 10× slower generator.
    slower = detect(base, FIRST, slowG, FIRST);
    const seedPairs = subsets(base.seeds.length, 2);
    oldRule = EPOCHS.map((epoch) => ({ epoch, pairs: seedPairs.length, rate: seedPairs.filter(([a, b]) => oldRuleClaims(a!, b!, epoch)).length / seedPairs.length }));
  });

  it('rests on enough real seeds', () => {
    expect(base.seeds.length).toBeGreaterThanOrEqual(12);
    expect(slowG.seeds.length).toBeGreaterThanOrEqual(6);
    expect(slowG.network).toBe(base.network);
  });

  it('null pairs (same config, other seeds): at most 5% get any "beats" across all six scores, at every epoch, with 3 or 5 seeds', () => {
    for (const { rate } of nullRates) expect(rate).toBeLessThanOrEqual(0.05);
  });

  it('a large effect (10× slower generator, epoch 1) is detected at 3 seeds each, never the wrong way', () => {
    expect(slower.any).toBeGreaterThanOrEqual(0.9);
    expect([...slower.opposite.values()].every((count) => count === 0)).toBe(true);
  });

  it(`two more epochs of training (epoch ${LAST} against ${FIRST}): detected often at 3 seeds, mostly at 5, never the wrong way`, () => {
    // A moderate effect: 3 seeds per arm catch it in about 4 pairs of 10, 5 seeds in most (docs/scores.md).
    expect(later.any).toBeGreaterThanOrEqual(0.4);
    expect(laterFive.any).toBeGreaterThan(later.any);
    // Recognisable % is left out: on tiny it peaks at epoch 1 (docs/scores.md).
    for (const [score, count] of [...later.opposite, ...laterFive.opposite]) if (score !== 'recognisable') expect(count).toBe(0);
  });

  it('with one seed per arm nothing is ever called, however far apart the numbers', () => {
    for (let i = 0; i + 1 < base.seeds.length; i += 2) {
      expect(claims(judge({ fixture: base, seeds: [i], epoch: LAST }, { fixture: slowG, seeds: [(i + 1) % slowG.seeds.length], epoch: FIRST }))).toBe(false);
    }
  });

  it('the rule it replaced (one seed each, ± each run\'s own std) calls more than 5% of null pairs', () => {
    const pooled = oldRule.reduce((sum, { rate }) => sum + rate, 0) / oldRule.length;
    expect(pooled).toBeGreaterThan(0.05);
  });

  it('writes the rates when VERDICT_RATES is set', async () => {
    const path = process.env.VERDICT_RATES;
    if (!path) return;
    const perScore = (d: Detection) => SCORE_SPECS.map((spec) => `${spec.label} ${percent(d.perScore.get(spec.name)! / d.pairs)}`).join(', ');
    const lines = [
      `Fixtures: ${base.preset} on ${base.dataset}, ${base.seeds.length} seeds × epochs ${EPOCHS.join(', ')}, and ${slowG.seeds.length} seeds with \`${slowG.trainArgs}\` × epoch ${FIRST}; ${base.sampleSize} generated images per scoring. ${PAIRS.toLocaleString('en')} random pairs of arms that share no seed per row (a fixed draw).`,
      '',
      '| comparison | seeds per arm | pairs with any "beats" or "is worse than" |',
      '| --- | --- | --- |',
      ...nullRates.map(({ epoch, k, rate }) => `| null: same config, epoch ${epoch} | ${k} | ${percent(rate)} (must be ≤ 5%) |`),
      `| large effect: the preset vs \`${slowG.trainArgs}\`, epoch ${FIRST} | ${K} | ${percent(slower.any)} detected |`,
      `| moderate effect: epoch ${LAST} vs epoch ${FIRST} | ${K} | ${percent(later.any)} detected |`,
      `| moderate effect: epoch ${LAST} vs epoch ${FIRST} | 5 | ${percent(laterFive.any)} detected |`,
      ...oldRule.map(({ epoch, pairs, rate }) => `| the rule this replaced (± 2 × each run's own std), null, epoch ${epoch}, all ${pairs} seed pairs | 1 | ${percent(rate)} |`),
      '',
      `Per score — large effect: ${perScore(slower)}. Epoch ${LAST} vs ${FIRST}, 3 seeds: ${perScore(later)}; 5 seeds: ${perScore(laterFive)}.`,
      '',
    ];
    await writeFile(path, lines.join('\n'));
  });
});
