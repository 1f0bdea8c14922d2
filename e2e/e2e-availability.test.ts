import { describe, expect, it } from 'vitest';
import { e2eAvailability } from './e2e-availability';

describe('e2e availability', () => {
  it('runs where Chromium exists, CI or not', () => {
    expect(e2eAvailability(true, { CI: 'true' })).toEqual({ run: true });
    expect(e2eAvailability(true, {})).toEqual({ run: true });
  });

  it('outside CI, a missing Chromium gives a loud banner naming what was skipped and the fix', () => {
    const result = e2eAvailability(false, {});
    expect(result.run).toBe(false);
    if (result.run) return;
    expect(result.banner).toContain('E2E SKIPPED');
    expect(result.banner).toContain('/usr/bin/chromium');
    expect(result.banner).toContain('apt-get install -y chromium');
  });

  it('under CI=true, a missing Chromium fails the run', () => {
    expect(() => e2eAvailability(false, { CI: 'true' })).toThrow(/CI must run it/);
  });
});
