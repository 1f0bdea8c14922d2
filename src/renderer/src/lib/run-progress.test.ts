import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../../shared/run';
import { displayEpoch, epochLabel, isActive, shownStep } from './run-progress';

const run = (status: RunStatus, epoch: number) => ({ status, epoch, config: { epochs: 50 } });

describe('displayEpoch', () => {
  it('shows the complete epochs of a run that is not training, whatever its last step said', () => {
    // The bug: the page said "Epoch 4 / 50" (the interrupted epoch) while Runs said 3/50.
    expect(displayEpoch(run('stopped', 3), 4)).toBe(3);
    expect(displayEpoch(run('crashed', 3), 4)).toBe(3);
    expect(displayEpoch(run('completed', 50), 50)).toBe(50);
  });

  it('shows the epoch in progress while training, capped at the total', () => {
    expect(displayEpoch(run('running', 3))).toBe(4);
    expect(displayEpoch(run('paused', 3), 4)).toBe(4);
    expect(displayEpoch(run('running', 3), 5)).toBe(5);
    expect(displayEpoch(run('running', 50), 50)).toBe(50);
  });

  it('calls only running and paused runs active', () => {
    expect(['running', 'paused'].every((s) => isActive(s as RunStatus))).toBe(true);
    expect(['created', 'completed', 'stopped', 'failed', 'crashed'].some((s) => isActive(s as RunStatus))).toBe(false);
  });

  it('labels the same number everywhere, in words that say what it counts', () => {
    // Stopped in epoch 4: "3 of 50 epochs done", never "epoch 3 / 50" after "epoch 4 / 50" (which read as going back).
    expect(epochLabel(run('running', 3), 4)).toBe('epoch 4 / 50');
    expect(epochLabel(run('stopped', 3), 4)).toBe('3 of 50 epochs done');
    expect(epochLabel(run('completed', 50))).toBe('50 of 50 epochs done');
    expect(epochLabel({ status: 'created', epoch: 0, config: { epochs: 1 } })).toBe('0 of 1 epoch done');
  });

  it('shows the newest step anything has reported: a grid after step 1 means step 1 is done', () => {
    expect(shownStep(0, undefined, 1)).toBe(1);
    expect(shownStep(0, 3, 1)).toBe(3);
    expect(shownStep(156, 150)).toBe(156);
  });
});
