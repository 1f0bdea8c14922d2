import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../../shared/run';
import { displayEpoch, epochLabel, isActive } from './run-progress';

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

  it('labels the same number everywhere', () => {
    expect(epochLabel(run('stopped', 3), 4)).toBe('epoch 3 / 50');
  });
});
