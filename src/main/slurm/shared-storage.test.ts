/** A runs or dataset folder the compute nodes surely cannot see is named in a warning. */
import { describe, expect, it } from 'vitest';
import { nodeLocalReason, sharedStorageWarnings } from './shared-storage';

describe('node-local folders', () => {
  it('warns for temp folders and memory file systems, not for a home folder', async () => {
    expect(await nodeLocalReason('/tmp/runs', {})).toBe('it is under /tmp, a folder each machine keeps for itself');
    expect(await nodeLocalReason('/var/tmp/x/runs', {})).toMatch(/under \/var\/tmp/);
    expect(await nodeLocalReason('/scratch/job-local/runs', { TMPDIR: '/scratch/job-local' })).toMatch(/under \/scratch\/job-local/);
    expect(await nodeLocalReason('/dev/shm/runs', {})).toMatch(/under \/dev\/shm/);
    expect(await nodeLocalReason('/tmpfolder/runs', {})).toBeUndefined();
    expect(await nodeLocalReason('/home/ada/.gan-studio/runs', {})).toBeUndefined();
    const [warning] = await sharedStorageWarnings([{ label: 'runs folder', path: '/tmp/r' }]);
    expect(warning).toMatch(/^The runs folder \/tmp\/r may not be visible to the compute nodes: it is under \/tmp/);
  });
});
