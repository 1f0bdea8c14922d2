/** Sweep plans: every combination × the same seeds, named by what differs, bad combinations named. */
import { describe, expect, it } from 'vitest';
import { combinations, planSweep, SweepError } from './sweep';

describe('planSweep', () => {
  it('makes one run per combination and seed, the first axis slowest, every combination on the same seeds', () => {
    const plan = planSweep({
      config: { preset: 'tiny', seed: 7, epochs: 3 },
      vary: [
        { key: 'loss', values: ['bce', 'hinge'] },
        { key: 'emaDecay', values: [0, 0.99] },
      ],
      seeds: 3,
    });
    expect(plan.map((run) => run.name)).toEqual([
      'tiny · bce loss · EMA 0 · seed 7',
      'tiny · bce loss · EMA 0 · seed 8',
      'tiny · bce loss · EMA 0 · seed 9',
      'tiny · bce loss · EMA 0.99 · seed 7',
      'tiny · bce loss · EMA 0.99 · seed 8',
      'tiny · bce loss · EMA 0.99 · seed 9',
      'tiny · hinge loss · EMA 0 · seed 7',
      'tiny · hinge loss · EMA 0 · seed 8',
      'tiny · hinge loss · EMA 0 · seed 9',
      'tiny · hinge loss · EMA 0.99 · seed 7',
      'tiny · hinge loss · EMA 0.99 · seed 8',
      'tiny · hinge loss · EMA 0.99 · seed 9',
    ]);
    expect(plan.map((run) => [run.combination, run.seedIndex]).slice(0, 4)).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
    ]);
    // Resolved like any run: bce and EMA 0 are "off" and left out; everything else is shared.
    expect(plan[0]!.config).toMatchObject({ preset: 'tiny', epochs: 3, seed: 7 });
    expect(plan[0]!.config.loss).toBeUndefined();
    expect(plan[11]!.config).toMatchObject({ loss: 'hinge', emaDecay: 0.99, seed: 9, epochs: 3 });
  });

  it('draws one random first seed when none is given, shared by all combinations', () => {
    const plan = planSweep({ config: { preset: 'tiny' }, vary: [{ key: 'batchSize', values: [8, 16] }], seeds: 2, name: 'bs' });
    const seeds = plan.map((run) => run.config.seed);
    expect(seeds[1]).toBe((seeds[0]! + 1) % 2 ** 31);
    expect([seeds[2], seeds[3]]).toEqual([seeds[0], seeds[1]]);
    expect(plan[2]!.name).toBe(`bs · batch 16 · seed ${seeds[0]}`);
  });

  it('refuses a combination the config refuses, naming it; a key varied twice; a sweep too big', () => {
    expect(() => planSweep({ config: { preset: 'tiny', labelSmoothing: 0.1 }, vary: [{ key: 'loss', values: ['bce', 'hinge'] }], seeds: 1 })).toThrow(
      /The combination hinge loss is not a valid config: Label smoothing: label smoothing lowers the real images' target; hinge has no targets/,
    );
    expect(() => planSweep({ config: { preset: 'tiny' }, vary: [{ key: 'loss', values: ['bce'] }, { key: 'loss', values: ['hinge'] }], seeds: 1 })).toThrow(SweepError);
    expect(() => planSweep({ config: { preset: 'tiny' }, vary: [{ key: 'epochs', values: Array.from({ length: 100 }, (_, i) => i + 1) }], seeds: 101 })).toThrow(/10100 runs/);
  });

  it('with nothing varied, is the seeds of one config', () => {
    expect(combinations([])).toEqual([{}]);
    expect(planSweep({ config: { preset: 'tiny', seed: 1 }, vary: [], seeds: 2 }).map((run) => run.name)).toEqual(['tiny · seed 1', 'tiny · seed 2']);
  });
});
