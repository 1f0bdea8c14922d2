import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrainerEvent } from '../../shared/trainer-protocol';
import { StepCoalescer } from './trainer-channel';

const step = (n: number) => ({ step: n, epoch: 1, gen_loss: 1, disc_loss: 1, real_accuracy: 1, fake_accuracy: 0, ms: 1 });

afterEach(() => {
  vi.useRealTimers();
});

describe('StepCoalescer', () => {
  it('sends at most one steps message per interval and keeps event order', () => {
    vi.useFakeTimers();
    const sent: TrainerEvent[] = [];
    const coalescer = new StepCoalescer((event) => sent.push(event), 100);
    for (let n = 1; n <= 50; n += 1) coalescer.push({ type: 'steps', steps: [step(n)] });
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.type === 'steps' && sent[0]!.steps.map((s) => s.step)).toEqual([...Array(50).keys()].map((i) => i + 1));

    coalescer.push({ type: 'steps', steps: [step(51)] });
    coalescer.push({ type: 'paused' });
    // The buffered step goes out before the event that followed it.
    expect(sent.slice(1).map((event) => event.type)).toEqual(['steps', 'paused']);
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(3);
  });
});
