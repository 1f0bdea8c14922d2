/**
 * Studio settings (settings.json in the app's user-data folder) and the one
 * rule for where runs live: GAN_STUDIO_RUNS, else the setting, else the
 * default under user data. Electron-free so the rule is tested in plain Node.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

const settingsSchema = z
  .object({
    /** Absolute folder for runs; unset = the default under user data. */
    runsRoot: z.string().min(1).optional(),
    /** Runs that train at once (more wait as queued); unset = one per GPU, else one. */
    maxConcurrentRuns: z.number().int().min(1).max(64).optional(),
  })
  .strip();

export type Settings = z.infer<typeof settingsSchema>;

/** Read settings.json; a missing or unreadable file yields defaults (the app must still start). */
export async function loadSettings(file: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = settingsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Write settings.json atomically (temp file + rename). */
export async function saveSettings(file: string, settings: Settings): Promise<void> {
  const valid = settingsSchema.parse(settings);
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(valid, null, 2) + '\n');
  await rename(temp, file);
}

/** Where runs live: env beats settings beats the default. Relative paths resolve against `cwd`. */
export function resolveRunsRoot(options: {
  env: NodeJS.ProcessEnv;
  settings: Settings;
  defaultRoot: string;
  cwd?: string;
}): string {
  const chosen = options.env.GAN_STUDIO_RUNS?.trim() || options.settings.runsRoot || options.defaultRoot;
  return isAbsolute(chosen) ? chosen : resolve(options.cwd ?? process.cwd(), chosen);
}
