/**
 * What exports need from a run directory, on top of src/main/runs (the
 * format's owner): run.json as an ExportInputError when unusable, the epoch
 * grids with absolute paths, and epoch-range selection.
 */
import { constants } from 'node:fs';
import { lstat, open, realpath } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { EpochMetrics, StepMetrics } from '../../shared/metrics';
import type { RunRecord } from '../../shared/run';
import type { ScoresRecord } from '../../shared/scores';
import { cannotRead, errorCode, listSamples, readRunJsonl, readRunMetrics, readRunRecord, RUN_FILES } from '../runs';
import { ExportInputError } from './errors';

/** One saved fixed-noise grid after an epoch. */
export interface EpochSample {
  epoch: number;
  path: string;
}

export interface RunFiles {
  dir: string;
  record: RunRecord;
  /** Epoch grids (samples/epoch-NNNN.png), oldest first. */
  samples: EpochSample[];
}

/** Read run.json and list the epoch grids; throws ExportInputError for a non-run folder. */
export async function readRun(dir: string): Promise<RunFiles> {
  const runDir = resolve(dir);
  let record: RunRecord;
  try {
    record = await readRunRecord(runDir);
  } catch (error) {
    throw new ExportInputError((error as Error).message, 'Pass a run folder, e.g. runs/<run-id>.');
  }
  const samples = (await listSamples(runDir))
    .filter((sample) => sample.kind === 'epoch')
    .map((sample) => ({ epoch: sample.index, path: join(runDir, sample.file) }));
  for (const sample of samples) await checkRunFile(runDir, sample.path);
  return { dir: runDir, record, samples };
}

/** Every good step and epoch record of a run, and a note per file whose damaged lines were skipped. */
export async function readMetrics(runDir: string): Promise<{ steps: StepMetrics[]; epochs: EpochMetrics[]; notes: string[] }> {
  for (const name of [RUN_FILES.metrics, RUN_FILES.epochs]) await checkRunFile(runDir, join(runDir, name), { missingOk: true });
  try {
    return await readRunMetrics(runDir);
  } catch (error) {
    const file = (error as { path?: unknown }).path;
    throw new ExportInputError(typeof file === 'string' ? `Export: ${cannotRead(file, error)}.` : (error as Error).message);
  }
}

/**
 * Exports read only regular files inside the run folder: a symbolic link (even one pointing
 * inside), a FIFO or device, or a path whose real location is outside the run is refused, so an
 * export can never copy a file from elsewhere into exports/ (where the file route would serve it).
 */
export async function checkRunFile(runDir: string, file: string, options: { missingOk?: boolean } = {}): Promise<void> {
  const shown = relative(runDir, file);
  let info;
  try {
    info = await lstat(file);
  } catch (error) {
    if (options.missingOk && errorCode(error) === 'ENOENT') return;
    throw new ExportInputError(`Export: ${cannotRead(shown, error)}.`);
  }
  if (info.isSymbolicLink()) {
    throw new ExportInputError(`Export refused ${shown}: it is a symbolic link, and exports read only regular files inside the run folder.`, 'Replace the link with the file itself.');
  }
  if (!info.isFile()) throw new ExportInputError(`Export refused ${shown}: it is not a regular file.`);
  const [realRun, realFile] = await Promise.all([realpath(runDir), realpath(file)]);
  if (!realFile.startsWith(realRun + sep)) {
    throw new ExportInputError(`Export refused ${shown}: its real location (${realFile}) is outside the run folder.`);
  }
}

/**
 * The bytes of a file checked by checkRunFile, read without following a link swapped in since
 * (O_NOFOLLOW) and without blocking on a FIFO; errors name the file and the cause.
 */
export async function readRunFile(file: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (errorCode(error) === 'ELOOP') throw new ExportInputError(`Export refused ${file}: it is a symbolic link.`);
    throw new ExportInputError(`Export: ${cannotRead(file, error)}.`);
  }
  try {
    if (!(await handle.stat()).isFile()) throw new ExportInputError(`Export refused ${file}: it is not a regular file.`);
    return await handle.readFile();
  } catch (error) {
    if (error instanceof ExportInputError) throw error;
    throw new ExportInputError(`Export: ${cannotRead(file, error)}.`);
  } finally {
    await handle.close();
  }
}

/** A run's quality scores (scores.jsonl; none when it was never scored), and a note when damaged lines were skipped. */
export async function readScores(runDir: string): Promise<{ records: ScoresRecord[]; notes: string[] }> {
  const file = join(runDir, RUN_FILES.scores);
  await checkRunFile(runDir, file, { missingOk: true });
  try {
    const { records, note } = await readRunJsonl(runDir, 'scores');
    return { records, notes: note ? [note] : [] };
  } catch (error) {
    throw new ExportInputError(`Export: ${cannotRead(file, error)}.`);
  }
}

/** Epoch grids within [from, to]; throws when the run has none there. */
export function samplesInRange(run: RunFiles, from = 1, to = Number.POSITIVE_INFINITY): EpochSample[] {
  if (from > to) throw new ExportInputError(`Expected --from-epoch ≤ --to-epoch, got ${from} > ${to}.`);
  const chosen = run.samples.filter((sample) => sample.epoch >= from && sample.epoch <= to);
  if (chosen.length === 0) {
    const have = run.samples.length ? `epochs ${run.samples[0]!.epoch}–${run.samples.at(-1)!.epoch}` : 'no epoch grids yet';
    throw new ExportInputError(
      `Run "${run.record.name}" has no sample grid in the chosen epoch range (it has ${have}).`,
      'Let the run finish at least one epoch, or widen the epoch range.',
    );
  }
  return chosen;
}

/** Epochs the run was configured for (the "/ 50" in captions); at least the last saved one. */
export function plannedEpochs(run: RunFiles): number {
  return Math.max(run.record.config.epochs, run.samples.at(-1)?.epoch ?? 0);
}
