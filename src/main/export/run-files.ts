/**
 * What exports need from a run directory, on top of src/main/runs (the
 * format's owner): run.json as an ExportInputError when unusable, the epoch
 * grids with absolute paths, and epoch-range selection.
 */
import { resolve, join } from 'node:path';
import type { EpochMetrics, StepMetrics } from '../../shared/metrics';
import type { RunRecord } from '../../shared/run';
import type { ScoresRecord } from '../../shared/scores';
import { listSamples, readRunMetrics, readRunRecord, readRunScores } from '../runs';
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
  return { dir: runDir, record, samples };
}

/** Every complete step and epoch record of a run. */
export async function readMetrics(runDir: string): Promise<{ steps: StepMetrics[]; epochs: EpochMetrics[] }> {
  try {
    return await readRunMetrics(runDir);
  } catch (error) {
    throw new ExportInputError((error as Error).message);
  }
}

/** A run's quality scores (scores.jsonl); none when it was never scored. */
export async function readScores(runDir: string): Promise<ScoresRecord[]> {
  try {
    return await readRunScores(runDir);
  } catch (error) {
    throw new ExportInputError((error as Error).message);
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
