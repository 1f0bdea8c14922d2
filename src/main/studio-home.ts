/**
 * Default locations for the headless studio (CLI and `serve`). The desktop
 * app keeps its runs under Electron's userData folder instead.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** $GAN_STUDIO_HOME, else ~/.gan-studio. */
export function studioHome(): string {
  return resolve(process.env.GAN_STUDIO_HOME ?? join(homedir(), '.gan-studio'));
}

/** $GAN_STUDIO_RUNS, else <studio home>/runs. */
export function defaultRunsRoot(): string {
  return resolve(process.env.GAN_STUDIO_RUNS ?? join(studioHome(), 'runs'));
}

/** Imported dataset caches: <studio home>/datasets. */
export function defaultDatasetsRoot(): string {
  return join(studioHome(), 'datasets');
}
