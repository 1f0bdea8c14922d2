import { describe, expect, it } from 'vitest';
import { describeFinish } from './supervise-training';

describe('describeFinish', () => {
  it('names the epoch a mid-epoch stop happened in, not the completed count', () => {
    const line = describeFinish({ type: 'finished', reason: 'stopped', epoch: 0, step: 19 }, 30, '/runs/r');
    expect(line).toBe('stopped in epoch 1 (step 19/30), step 19 overall; checkpoint saved. Resume with: gan-studio train --resume /runs/r');
  });

  it('says "after epoch N" at an epoch boundary, and reports completion plainly', () => {
    expect(describeFinish({ type: 'finished', reason: 'stopped', epoch: 2, step: 60 }, 30, '/runs/r')).toMatch(/^stopped after epoch 2, step 60 overall/);
    expect(describeFinish({ type: 'finished', reason: 'completed', epoch: 3, step: 90 }, 30, '/runs/r')).toMatch(/^finished: 3 epochs, 90 steps — \/runs\/r\nNext:\n {2}gan-studio score \/runs\/r /);
    expect(describeFinish({ type: 'finished', reason: 'completed', epoch: 1, step: 30 }, 30, '/runs/r')).toMatch(/^finished: 1 epoch, 30 steps — /);
  });
});
