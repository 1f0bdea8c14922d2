/**
 * The runs folder as a list. A folder with a run.json is a run; one whose
 * run.json is unusable (garbage, missing fields, an id that is not its
 * folder's) is listed as damaged with the reason — never silently dropped,
 * and never able to hide the others. Folders without run.json (half-created,
 * foreign) are not runs and are left out.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DamagedRun, RunRecord } from '../../shared/run';
import { RUN_ID_PATTERN } from '../../shared/run';
import { errorCode } from '../common/fs-errors';
import { readRunRecord, RUN_FILES } from './run-dir';

/** A readable run, or a damaged one (exactly one of record / damaged is set). */
export type RunListEntry = { dir: string; record: RunRecord; damaged?: undefined } | { dir: string; record?: undefined; damaged: DamagedRun };

/** Runs under `runsRoot`, newest first (damaged ones among them, by their date). */
export async function listRuns(runsRoot: string): Promise<RunListEntry[]> {
  let entries;
  try {
    entries = await readdir(runsRoot, { withFileTypes: true });
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
  const runs = await Promise.all(
    entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => readEntry(join(runsRoot, entry.name), entry.name)),
  );
  const createdAt = (run: RunListEntry) => (run.record ?? run.damaged).createdAt;
  return runs.filter((run): run is RunListEntry => run !== undefined).sort((a, b) => createdAt(b).localeCompare(createdAt(a)));
}

/** One folder of the runs root as the list shows it: a run, a damaged run, or undefined (not a run). */
export async function readEntry(dir: string, folder: string): Promise<RunListEntry | undefined> {
  let folderTime: string;
  try {
    folderTime = (await stat(join(dir, RUN_FILES.record))).mtime.toISOString();
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined; // not a run (yet)
    folderTime = new Date(0).toISOString();
  }
  const damaged = (damage: string, name = folder, createdAt = folderTime): RunListEntry => ({
    dir,
    damaged: { id: folder, name, status: 'damaged', damage, createdAt },
  });
  if (!RUN_ID_PATTERN.test(folder)) {
    return damaged(`The folder name "${folder}" is not a run id (letters, digits, "-" and "_"). Rename the folder to use it.`);
  }
  try {
    const record = await readRunRecord(dir);
    if (record.id !== folder) {
      return damaged(
        `run.json says its id is "${record.id}" but it is in folder "${folder}" (a copied or renamed folder). Set "id" in run.json to "${folder}".`,
        record.name,
        record.createdAt,
      );
    }
    return { dir, record };
  } catch (error) {
    return damaged((error as Error).message);
  }
}
