/**
 * The Slurm settings last used from a runs folder (`.slurm/settings.json`),
 * so every front end on that folder — the app, serve, the CLI — starts its
 * forms and defaults from the same partition, account and limits.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { slurmSettingsSchema, type SlurmSettings } from '../../shared/slurm';
import { writeJsonAtomic } from '../runs/atomic';

const FILE = join('.slurm', 'settings.json');

/** The remembered settings; none (or an unreadable file) means the cluster's defaults. */
export async function loadSlurmSettings(runsRoot: string): Promise<SlurmSettings> {
  try {
    const parsed = slurmSettingsSchema.safeParse(JSON.parse(await readFile(join(runsRoot, FILE), 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export async function saveSlurmSettings(runsRoot: string, settings: SlurmSettings): Promise<void> {
  const file = join(runsRoot, FILE);
  await mkdir(dirname(file), { recursive: true });
  await writeJsonAtomic(file, slurmSettingsSchema.parse(settings));
}
