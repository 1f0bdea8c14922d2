import { describe, expect, it } from 'vitest';
import { gridSchedule, LIVE_GRID_SECONDS, liveGridSeconds } from './grid-schedule';

describe('gridSchedule', () => {
  it('draws after the early steps, then every interval of training, and restarts the interval at an epoch grid', () => {
    let ms = 0;
    const schedule = gridSchedule([1, 10], 10, () => ms);
    const drawn: number[] = [];
    // One step every 3 s for 20 steps; an epoch grid after step 12.
    for (let step = 1; step <= 20; step++) {
      ms += 3000;
      if (schedule.due(step)) drawn.push(step);
      if (step === 12) schedule.drew();
    }
    // 1 early (at 3 s); 5 (at 15 s, 12 s after 1); 9 (12 s after 5); 10 early; the epoch grid at 12 (36 s)
    // restarts the interval: 16 (48 s), 20 (60 s).
    expect(drawn).toEqual([1, 5, 9, 10, 16, 20]);
  });

  it('gives one answer per step, however many hooks ask', () => {
    let ms = 0;
    const schedule = gridSchedule([], 10, () => ms);
    ms = 11_000;
    expect(schedule.due(5)).toBe(true);
    ms = 11_500;
    // The refresh hook asked first; the grid hook asks again for the same step.
    expect(schedule.due(5)).toBe(true);
    expect(schedule.due(6)).toBe(false);
  });

  it('draws only the early steps when the interval is 0', () => {
    let ms = 0;
    const schedule = gridSchedule([2], 0, () => ms);
    const drawn = [1, 2, 3, 4].filter((step) => ((ms += 60_000), schedule.due(step)));
    expect(drawn).toEqual([2]);
  });

  it('reads its interval from GAN_STUDIO_LIVE_GRID_SECONDS, and refuses a bad one by name', () => {
    expect(liveGridSeconds({})).toBe(LIVE_GRID_SECONDS);
    expect(liveGridSeconds({ GAN_STUDIO_LIVE_GRID_SECONDS: '2.5' })).toBe(2.5);
    expect(liveGridSeconds({ GAN_STUDIO_LIVE_GRID_SECONDS: '0' })).toBe(0);
    expect(() => liveGridSeconds({ GAN_STUDIO_LIVE_GRID_SECONDS: 'soon' })).toThrow('GAN_STUDIO_LIVE_GRID_SECONDS must be a number of seconds ≥ 0, got "soon"');
  });
});
