import { describe, expect, it } from 'vitest';
import type { RunDetail, RunHistory, SampleRef } from '../../../shared/api';
import { epochRangeOfSteps, historyCut, mergeHistory, mergeSamples, withRecordsAround } from './run-history';

const grid = (epoch: number, step = epoch * 10): SampleRef => ({ epoch, step, url: `/files/run/r/samples/epoch-${epoch}.png` });
const epochs = [1, 5, 9, 10].map((epoch) => ({ epoch, step: epoch * 10 }));

describe('epochRangeOfSteps', () => {
  it('spans from the last known epoch ending before the range to the first ending at or after it', () => {
    expect(epochRangeOfSteps(epochs, 60, 80)).toEqual({ from: 5, to: 9 });
    expect(epochRangeOfSteps(epochs, 1, 10)).toEqual({ from: 0, to: 1 });
    // Past the last complete epoch: up to the one in progress.
    expect(epochRangeOfSteps(epochs, 95, 120)).toEqual({ from: 9, to: 11 });
  });
});

describe('mergeSamples', () => {
  it('adds the grids fetched around one, each once, in training order', () => {
    const early: SampleRef = { epoch: 1, step: 10, url: '/files/run/r/samples/step-000010.png' };
    const merged = mergeSamples([early, grid(1), grid(9)], [grid(1), grid(3), grid(5)]);
    expect(merged.map((s) => s.url.split('/').at(-1))).toEqual(['step-000010.png', 'epoch-1.png', 'epoch-3.png', 'epoch-5.png', 'epoch-9.png']);
    const unchanged = [grid(1)];
    expect(mergeSamples(unchanged, [grid(1)])).toBe(unchanged);
  });
});

describe('mergeHistory', () => {
  it('merges an epoch range into a bounded overview and says when an overview is cut', () => {
    const score = (epoch: number) => ({ epoch, step: epoch * 10, seconds: 1, sampleSize: 8, feature: { network: 'x' }, scores: {} });
    const epoch = (n: number) => ({ epoch: n, step: n * 10, gen_loss: 1, disc_loss: 1, real_accuracy: 0.5, fake_accuracy: 0.5, images_per_second: 1, seconds: 1 });
    const detail = { epochs: [epoch(1), epoch(9)], samples: [grid(1), grid(9)], scores: [score(1)], epochCount: 9, sampleCount: 9, scoreCount: 3 } as unknown as RunDetail;
    expect(historyCut(detail)).toBe(true);
    const range: RunHistory = { epochs: [epoch(4), epoch(5)], samples: [grid(4), grid(5)], scores: [score(5)], epochCount: 2, sampleCount: 2, scoreCount: 1 };
    const merged = mergeHistory(detail, range);
    expect(merged.epochs.map((e) => e.epoch)).toEqual([1, 4, 5, 9]);
    expect(merged.samples.map((s) => s.epoch)).toEqual([1, 4, 5, 9]);
    expect(merged.scores.map((s) => s.epoch)).toEqual([1, 5]);
    expect(historyCut({ ...detail, epochCount: 2, sampleCount: 2, scoreCount: 1 })).toBe(false);
  });
});

describe('withRecordsAround', () => {
  it('fetches the window around an epoch once per cut run, and leaves whole runs alone', async () => {
    const base = { epochs: [], scores: [], epochCount: 0, scoreCount: 0 };
    const cut = { ...base, run: { id: 'long' }, samples: [grid(1), grid(900)], sampleCount: 900 } as unknown as RunDetail;
    const whole = { ...base, run: { id: 'short' }, samples: [grid(1)], sampleCount: 1 } as unknown as RunDetail;
    const asked: string[] = [];
    const fetch = async (id: string, from: number, to: number): Promise<RunHistory> => {
      asked.push(`${id} ${from}-${to}`);
      return { epochs: [], samples: [grid(450)], scores: [], epochCount: 0, sampleCount: 1, scoreCount: 0 };
    };
    const fetched = new Set<string>();
    const [long, short] = await withRecordsAround([cut, whole], 450, fetch, fetched, 100);
    expect(asked).toEqual(['long 350-550']);
    expect(long!.samples.map((s) => s.epoch)).toEqual([1, 450, 900]);
    expect(short).toBe(whole);
    const again = await withRecordsAround([long!, whole], 450, fetch, fetched, 100);
    expect(asked).toHaveLength(1);
    expect(again[0]).toBe(long);
  });
});
