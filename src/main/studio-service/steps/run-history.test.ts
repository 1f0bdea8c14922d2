/**
 * The bounded history overview and ranges on known records: small runs come
 * whole; long ones keep the first record, each charted value's extremes (an
 * epoch-mean spike, a score's best and worst) and the newest records in full.
 */
import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../../shared/metrics';
import type { ScoresRecord } from '../../../shared/scores';
import type { SampleEntry } from '../run-files';
import { HISTORY_POINTS, HISTORY_TAIL, historyOverview, historyRange, type HistoryRecords } from './run-history';

const epoch = (n: number): EpochMetrics => ({
  epoch: n,
  step: n * 10,
  gen_loss: n === 777 ? 40 : 2 + Math.sin(n),
  disc_loss: n === 3210 ? -3 : 1,
  real_accuracy: 0.5,
  fake_accuracy: 0.5,
  images_per_second: 100,
  seconds: 2,
});
const sample = (n: number): SampleEntry => ({ epoch: n, step: n * 10, file: `samples/epoch-${String(n).padStart(4, '0')}.png` });
const score = (n: number): ScoresRecord => ({
  epoch: n,
  step: n * 10,
  seconds: 1,
  sampleSize: 64,
  feature: { network: 'x' },
  scores: { fid: { value: n === 1234 ? 0.5 : 50 + Math.cos(n), std: 0, n: 64 } },
});

function run(epochs: number): HistoryRecords {
  const numbers = Array.from({ length: epochs }, (_, i) => i + 1);
  return { epochs: numbers.map(epoch), samples: numbers.map(sample), scores: numbers.map(score) };
}

describe('historyOverview', () => {
  it('sends a run of at most HISTORY_POINTS records of each kind whole', () => {
    const records = run(HISTORY_POINTS);
    expect(historyOverview(records)).toEqual({ ...records, epochCount: HISTORY_POINTS, sampleCount: HISTORY_POINTS, scoreCount: HISTORY_POINTS });
  });

  it('bounds a run of 5,000 epochs, keeping the first, the extremes and the newest in full', () => {
    const overview = historyOverview(run(5000));
    expect(overview).toMatchObject({ epochCount: 5000, sampleCount: 5000, scoreCount: 5000 });
    for (const kind of ['epochs', 'samples', 'scores'] as const) {
      const epochs = overview[kind].map((record) => record.epoch);
      expect(epochs.length, kind).toBeLessThanOrEqual(HISTORY_POINTS);
      expect(epochs[0], kind).toBe(1);
      expect(epochs.slice(-HISTORY_TAIL), kind).toEqual(Array.from({ length: HISTORY_TAIL }, (_, i) => 5000 - HISTORY_TAIL + 1 + i));
      expect([...epochs].sort((a, b) => a - b), kind).toEqual(epochs);
    }
    expect(overview.epochs.map((e) => e.epoch)).toEqual(expect.arrayContaining([777, 3210]));
    expect(overview.scores.map((s) => s.epoch)).toContain(1234);
    // Grids carry no values: evenly spaced, so the gaps between kept ones are about equal.
    const kept = overview.samples.slice(0, -HISTORY_TAIL).map((s) => s.epoch);
    const gaps = kept.slice(1).map((e, i) => e - kept[i]!);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);
  });
});

describe('historyRange', () => {
  it('gives every record of a range that fits, and bounds a wide one', () => {
    const records = run(5000);
    const narrow = historyRange(records, 2000, 2300);
    expect(narrow.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 301 }, (_, i) => 2000 + i));
    expect(narrow).toMatchObject({ epochCount: 301, sampleCount: 301, scoreCount: 301 });
    const wide = historyRange(records, 100, 4000);
    expect(wide.epochCount).toBe(3901);
    expect(wide.epochs.length).toBeLessThanOrEqual(HISTORY_POINTS);
    expect(wide.epochs[0]!.epoch).toBe(100);
    expect(wide.epochs.at(-1)!.epoch).toBe(4000);
    expect(wide.epochs.map((e) => e.epoch)).toContain(3210);
  });
});
