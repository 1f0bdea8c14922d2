/**
 * What to run after `train` finishes: score it, export its progress, draw
 * from its generator, and compare it with other runs in the studio.
 */
import { dirname, resolve } from 'node:path';
import { printable } from '../shared/printable';
import { defaultRunsRoot } from '../main/studio-home';

/** A path as one shell word: as is when it is plain, else single-quoted. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** The lines printed under "finished: …", each command with what it is for. */
export function nextCommands(runDir: string, defaultRoot = defaultRunsRoot()): string {
  const run = shellWord(printable(runDir));
  const root = dirname(resolve(runDir));
  const serve = root === resolve(defaultRoot) ? 'gan-studio serve' : `gan-studio serve --runs ${shellWord(printable(root))}`;
  const rows: [string, string][] = [
    [`gan-studio score ${run}`, 'quality scores (FID, recognisable % …)'],
    [`gan-studio export ${run} --format gif --out progress.gif`, 'the samples improving, one frame per epoch'],
    [`gan-studio generate ${run} --grid --out samples.png`, 'fresh samples from its generator'],
    [serve, 'watch it and Compare it with other runs in the browser'],
  ];
  const width = Math.max(...rows.map(([command]) => command.length));
  return ['Next:', ...rows.map(([command, why]) => `  ${command.padEnd(width)}  ${why}`)].join('\n');
}
