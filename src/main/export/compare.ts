/**
 * What the compare view and the evidence pack say about 2–4 runs: whether
 * their grids come from the same latent vectors, and which config values
 * differ. Electron-free; the UI calls it through the studio service.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunRecord } from '../../shared/run';
import { ExportInputError } from './errors';
import { readRun } from './run-files';

/** One config key whose value differs between runs; `values` follows the order of the runs given. */
export interface ConfigDifference {
  key: string;
  values: unknown[];
}

export interface RunComparison {
  /** The runs' sample grids are drawn from the same latent vectors. */
  sharedNoise: boolean;
  /** Why not, when sharedNoise is false. */
  reason?: string;
  /** Only keys whose values differ (dataset included when the runs trained on different data). */
  configDiff: ConfigDifference[];
}

async function readNoise(runDir: string): Promise<Buffer | undefined> {
  return readFile(join(runDir, 'noise.bin')).catch(() => undefined);
}

function noiseVerdict(records: RunRecord[], noises: (Buffer | undefined)[]): { sharedNoise: boolean; reason?: string } {
  const configs = records.map((record) => record.config);
  const first = configs[0]!;
  if (configs.some((c) => c.latentDim !== first.latentDim)) {
    return { sharedNoise: false, reason: `latent sizes differ (${configs.map((c) => c.latentDim).join(' vs ')}), so the grids come from different latent vectors` };
  }
  if (noises.every((noise) => noise !== undefined)) {
    // noise.bin is what the grids were actually drawn from: the definitive check.
    const count = Math.min(...configs.map((c) => c.gridRows * c.gridCols)) * first.latentDim * 4;
    const same = noises.every((noise) => noise!.subarray(0, count).equals(noises[0]!.subarray(0, count)));
    if (!same) return { sharedNoise: false, reason: 'the runs\' fixed noise (noise.bin) differs' };
  } else if (configs.some((c) => c.seed !== first.seed)) {
    return { sharedNoise: false, reason: `seeds differ (${configs.map((c) => c.seed).join(' vs ')}), so the fixed noise differs` };
  }
  if (configs.some((c) => c.gridRows * c.gridCols !== first.gridRows * first.gridCols)) {
    return { sharedNoise: true, reason: 'grid sizes differ: only the first images of the larger grid share latents' };
  }
  return { sharedNoise: true };
}

function differences(records: RunRecord[]): ConfigDifference[] {
  const keys = [...new Set(records.flatMap((record) => Object.keys(record.config)))].sort();
  const rows: ConfigDifference[] = [];
  const datasets = records.map((record) => record.dataset?.fingerprint);
  if (new Set(datasets).size > 1) rows.push({ key: 'dataset', values: records.map((record) => record.dataset?.name ?? null) });
  for (const key of keys) {
    const values = records.map((record) => (record.config as Record<string, unknown>)[key] ?? null);
    if (new Set(values.map((value) => JSON.stringify(value))).size > 1) rows.push({ key, values });
  }
  return rows;
}

/** Compare 2–4 run folders: shared latents and the config keys that differ. */
export async function compareRuns(runDirs: string[]): Promise<RunComparison> {
  if (runDirs.length < 2 || runDirs.length > 4) throw new ExportInputError(`Expected 2 to 4 runs to compare, got ${runDirs.length}.`);
  const runs = await Promise.all(runDirs.map((dir) => readRun(dir)));
  const noises = await Promise.all(runs.map((run) => readNoise(run.dir)));
  return { ...noiseVerdict(runs.map((run) => run.record), noises), configDiff: differences(runs.map((run) => run.record)) };
}
