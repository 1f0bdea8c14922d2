/**
 * The studio's small Slurm helpers: how a node starts the trainer, what the
 * UI is told about Slurm here, and the job files a run page shows.
 */
import { join } from 'node:path';
import type { ExecutorsInfo, JobFiles } from '../../shared/api';
import { packageRoot } from '../paths';
import { logTail } from './job-end';
import { SLURM_FILES, type NodeLaunch } from './job-script';
import { loadSlurmSettings } from './settings-store';
import { sharedStorageWarnings } from './shared-storage';
import type { SlurmExecutor } from './slurm-executor';

/**
 * This Node and this checkout's CLI, as the nodes will start them (both must be on storage the
 * nodes share). Inside Electron the binary is Electron's, so the nodes' own `node` is used
 * (GAN_STUDIO_NODE names another).
 */
export function defaultNodeLaunch(env: NodeJS.ProcessEnv = process.env): NodeLaunch {
  const node = env.GAN_STUDIO_NODE?.trim() || (process.versions.electron ? 'node' : process.execPath);
  return { node, cli: join(packageRoot(), 'src', 'cli', 'gan-studio.js') };
}

/** Whether Slurm answers here, the settings last used, and folders the nodes may not see. */
export async function describeExecutors(slurm: SlurmExecutor, runsRoot: string, datasetsRoot: string): Promise<ExecutorsInfo> {
  const [check, settings, warnings] = await Promise.all([
    slurm.check(),
    loadSlurmSettings(runsRoot),
    sharedStorageWarnings([
      { label: 'runs folder', path: runsRoot },
      { label: 'datasets folder', path: datasetsRoot },
    ]),
  ]);
  return { slurm: { ...check, settings, warnings } };
}

/** The run's job script and logs: URLs for the whole files, and their last lines. */
export async function jobFiles(runDir: string, urlFor: (relPath: string) => string): Promise<JobFiles> {
  const rel = (file: string) => `${SLURM_FILES.folder}/${file}`;
  const [stdoutTail, stderrTail] = await Promise.all([logTail(runDir, SLURM_FILES.stdout, 30), logTail(runDir, SLURM_FILES.stderr, 30)]);
  return {
    scriptUrl: urlFor(rel(SLURM_FILES.script)),
    stdoutUrl: urlFor(rel(SLURM_FILES.stdout)),
    stderrUrl: urlFor(rel(SLURM_FILES.stderr)),
    stdoutTail,
    stderrTail,
  };
}
