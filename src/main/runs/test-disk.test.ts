import { describe, expect, it } from 'vitest';
import { diskTestAvailability } from './test-disk';

describe('the full-disk tests where no tmpfs can be mounted', () => {
  it('run when the disk mounted', () => {
    expect(diskTestAvailability(true, 'exports on a full disk', {})).toEqual({ run: true });
  });

  it('are skipped with a loud banner saying what did not run and how to run it, not silently', () => {
    expect(diskTestAvailability(false, 'exports on a full disk', {})).toEqual({
      run: false,
      banner: expect.stringMatching(/DISK-FULL SKIPPED: exports on a full disk did not run\.[\s\S]*run the tests as root/),
    });
  });

  it('fail under CI=true: CI must run them', () => {
    expect(() => diskTestAvailability(false, 'exports on a full disk', { CI: 'true' })).toThrow(/CI must run them/);
  });
});
