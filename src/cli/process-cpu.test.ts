import { describe, expect, it } from 'vitest';
import { processCpuSeconds } from './process-cpu';

const linux = process.platform === 'linux';

describe('processCpuSeconds', () => {
  it.runIf(linux)("reads this process's user + system CPU time and sees it grow with work", () => {
    const before = processCpuSeconds(process.pid)!;
    const ownBefore = process.cpuUsage();
    // Spin for 200 ms of this process's CPU time (not wall time: the machine may be busy).
    let spin = 0;
    while (process.cpuUsage(ownBefore).user < 200_000) for (let i = 0; i < 1e5; i++) spin += Math.sqrt(spin + 1);
    expect(spin).toBeGreaterThan(0);
    const after = processCpuSeconds(process.pid)!;
    const own = process.cpuUsage(ownBefore);
    const ownSeconds = (own.user + own.system) / 1e6;
    // /proc counts whole ticks (10 ms) and every thread; the spin is on this one.
    expect(after - before).toBeGreaterThanOrEqual(ownSeconds - 0.05);
    expect(after - before).toBeLessThan(ownSeconds + 0.5);
    expect(after - before).toBeGreaterThanOrEqual(0.15);
  });

  it('is undefined for a process that does not exist', () => {
    expect(processCpuSeconds(2 ** 30)).toBeUndefined();
  });
});
