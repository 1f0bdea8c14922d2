/** The runs folder as a list: every subfolder whose run.json reads cleanly. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunRecord } from '../../shared/run';
import { readRunRecord } from './run-dir';

export interface RunListEntry {
  dir: string;
  record: RunRecord;
}

/**
 * Runs under `runsRoot`, newest first. Folders without a readable run.json
 * (half-created, foreign or damaged) are left out rather than failing the list.
 */
export async function listRuns(runsRoot: string): Promise<RunListEntry[]> {
  let entries;
  try {
    entries = await readdir(runsRoot, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const runs = await Promise.all(
    entries
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map(async (entry) => {
        const dir = join(runsRoot, entry.name);
        try {
          return { dir, record: await readRunRecord(dir) };
        } catch {
          return undefined;
        }
      }),
  );
  return runs
    .filter((run): run is RunListEntry => run !== undefined)
    .sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt));
}
