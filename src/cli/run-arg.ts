/**
 * A run named on the command line: a run folder, or a run id in the default runs folder — the
 * same for every command that takes a run (export, evidence, score), so the id `train` prints
 * works everywhere.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultRunsRoot } from '../main/studio-home';

/** The run folder `run` names; when neither it nor an id by that name holds run.json, `run` resolved (the command says what is missing). */
export function runDirArg(run: string): string {
  const direct = resolve(run);
  if (existsSync(join(direct, 'run.json'))) return direct;
  const byId = join(defaultRunsRoot(), run);
  return existsSync(join(byId, 'run.json')) ? byId : direct;
}
