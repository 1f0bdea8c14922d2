import { describe, expect, it } from 'vitest';
import { plural } from './plural';

describe('plural', () => {
  it('says one epoch, not "1 epochs" or "1 epoch(s)"', () => {
    expect(plural(1, 'epoch')).toBe('1 epoch');
    expect(plural(0, 'epoch')).toBe('0 epochs');
    expect(plural(10000, 'image')).toBe('10,000 images');
    expect(plural(2, 'batch', 'batches')).toBe('2 batches');
  });
});
