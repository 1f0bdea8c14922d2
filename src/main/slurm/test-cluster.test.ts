/** Without a cluster the Slurm tests say so loudly; under CI they must not be skipped at all. */
import { expect, it } from 'vitest';
import { slurmTestAvailability } from './test-cluster';

it('runs with a cluster, skips with a banner without one, and fails under CI=true', () => {
  expect(slurmTestAvailability(undefined, {})).toEqual({ run: true });
  const skipped = slurmTestAvailability('start-slurm: needs root to start a cluster (got uid 1000)', {});
  expect(skipped.run).toBe(false);
  if (!skipped.run) {
    expect(skipped.banner).toContain('SLURM SKIPPED');
    expect(skipped.banner).toContain('needs root to start a cluster');
  }
  expect(() => slurmTestAvailability('slurmctld is not installed', { CI: 'true' })).toThrow(/The Slurm tests cannot run: slurmctld is not installed\. CI must run them/);
});
