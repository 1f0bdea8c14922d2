/** The evidence page's numbers and sentences, including when they do not favour the new run. */
import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../shared/metrics';
import { describeComparison, describeRun, runNumbers } from './evidence-summary';

const epochs = (fakes: number[]): EpochMetrics[] =>
  fakes.map((fake, i) => ({ epoch: i + 1, step: (i + 1) * 10, gen_loss: 1, disc_loss: 1.2, real_accuracy: 0.7, fake_accuracy: fake, images_per_second: 1, seconds: 1 }));

describe('runNumbers', () => {
  it('averages |fake_accuracy − 0.5| over the last three epochs', () => {
    const numbers = runNumbers('a', epochs([0.9, 0.8, 0.6, 0.4, 0.55]));
    expect(numbers.tailEpochs).toBe(3);
    expect(numbers.fakeAccuracyDistance).toBeCloseTo((0.1 + 0.1 + 0.05) / 3, 10);
    expect(numbers.final).toMatchObject({ epoch: 5, fake_accuracy: 0.55 });
  });

  it('reports a run without epochs without inventing numbers', () => {
    expect(describeRun(runNumbers('empty', []))).toMatch(/no completed epoch/);
  });

  it('says "the last epoch" for one, "the last 3 epochs" for three, never "epoch(s)"', () => {
    expect(describeRun(runNumbers('one', epochs([0.7])))).toContain('averaged over the last 1 epoch it is');
    expect(describeRun(runNumbers('three', epochs([0.9, 0.8, 0.6])))).toContain('averaged over the last 3 epochs it is');
  });
});

describe('describeComparison', () => {
  const near = runNumbers('this run', epochs([0.9, 0.6, 0.52]));
  const far = runNumbers('baseline', epochs([0.95, 0.9, 0.88]));

  it('says so when the run ends closer to 0.5', () => {
    expect(describeComparison(near, far)[0]).toMatch(/this run ended closer to the 0\.5 balance point/);
  });

  it('says so plainly when it does not', () => {
    expect(describeComparison(far, near)[0]).toMatch(/did not end closer to 0\.5 than the baseline/);
  });

  it('calls a difference under 0.01 even, and always carries the caveat', () => {
    const lines = describeComparison(near, runNumbers('baseline', epochs([0.9, 0.6, 0.525])));
    expect(lines[0]).toMatch(/about even/);
    expect(lines.at(-1)).toMatch(/not a measure of image quality/);
  });
});
