/**
 * The studio's view of run directories, on top of src/main/runs (which the
 * trainer writes with): id → folder with the id checked, "not found" as a
 * user-facing error, and sample grids labelled with both epoch and step.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochMetrics } from '../../shared/metrics';
import type { RunRecord } from '../../shared/run';
import { isValidRunId, RUN_FILES, readRunRecord as readRecordInDir, updateRunRecord as updateRecordInDir, type SampleFile } from '../runs';
import { NotFoundError } from './errors';

/** The folder of run `runId`; refuses any id that could name something outside the runs root. */
export function runDirOf(runsRoot: string, runId: string): string {
  if (!isValidRunId(runId)) throw new NotFoundError(`No run with id ${JSON.stringify(runId)}: expected letters, digits, - and _.`);
  return join(runsRoot, runId);
}

/** Read run.json of `runId`; NotFoundError (with a hint) when the run is gone or unreadable. */
export async function readRunRecord(runsRoot: string, runId: string): Promise<RunRecord> {
  let record: RunRecord;
  try {
    record = await readRecordInDir(runDirOf(runsRoot, runId));
  } catch (error) {
    if (error instanceof NotFoundError) throw error;
    throw new NotFoundError(`Run ${runId} could not be read: ${(error as Error).message}`, 'It may have been deleted; refresh the runs list.');
  }
  // A copied folder's run.json names the original: acting on it here would report (and link) the other run.
  if (record.id !== runId) {
    throw new NotFoundError(`Run ${runId} is damaged: its run.json says its id is "${record.id}".`, `Set "id" in run.json to "${runId}" (its folder's name) to open it; the run's other files are untouched.`);
  }
  return record;
}

/** Check that `runId` names a run folder (one with a run.json, readable or damaged); returns the folder. */
export async function requireRunFolder(runsRoot: string, runId: string): Promise<string> {
  const dir = runDirOf(runsRoot, runId);
  try {
    await stat(join(dir, RUN_FILES.record));
  } catch {
    throw new NotFoundError(`No run with id ${JSON.stringify(runId)}.`, 'It may have been deleted; refresh the runs list.');
  }
  return dir;
}

/** Merge `patch` into run.json of `runId` (atomic write). */
export async function updateRunRecord(
  runsRoot: string,
  runId: string,
  patch: Partial<Omit<RunRecord, 'version' | 'id'>>,
): Promise<RunRecord> {
  await readRunRecord(runsRoot, runId);
  return updateRecordInDir(runDirOf(runsRoot, runId), patch);
}

/** One saved grid with both its epoch and its global step. */
export interface SampleEntry {
  epoch: number;
  step: number;
  /** Relative to the run directory, e.g. samples/epoch-0003.png. */
  file: string;
}

/**
 * Every saved grid, oldest first (`samples`: the folder as listSamples lists it). Epoch grids take
 * their step from epochs.jsonl; early-step grids take the epoch the step falls in.
 */
export function sampleEntries(samples: SampleFile[], epochs: EpochMetrics[]): SampleEntry[] {
  // A map, not a search per grid: a long run has thousands of both.
  const stepOfEpoch = new Map(epochs.map((e) => [e.epoch, e.step]));
  return samples.map((sample) => {
    if (sample.kind === 'epoch') return { epoch: sample.index, step: stepOfEpoch.get(sample.index) ?? 0, file: sample.file };
    // An early-step grid belongs to the first epoch that ends at or after its step (or the one in progress).
    const epoch = epochs.find((e) => e.step >= sample.index)?.epoch ?? (epochs.at(-1)?.epoch ?? 0) + 1;
    return { epoch, step: sample.index, file: sample.file };
  });
}
