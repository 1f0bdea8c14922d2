/**
 * The StudioService the integration tests drive: real trainer processes on
 * `root`'s runs and datasets folders, the browser shell's URLs, and a cpu
 * backend probe (no GPU is looked for), with the test's own options on top.
 */
import { join } from 'node:path';
import { StudioService, type StudioServiceOptions } from '../studio-service';
import { spawnTrainerProcess } from '../training/trainer-process';

export function realTrainerStudio(root: string, options: Partial<StudioServiceOptions> = {}): StudioService {
  return new StudioService({
    runsRoot: join(root, 'runs'),
    datasetsRoot: join(root, 'datasets'),
    launcher: () => spawnTrainerProcess(),
    shell: 'browser',
    urlForRunFile: (runId, rel) => `studio://run/${runId}/${rel}`,
    urlForDatasetPreview: (id) => `studio://dataset/${id}/preview.png`,
    probeBackend: async () => ({ name: 'cpu', device: 'CPU', skipped: [] }),
    ...options,
  });
}
