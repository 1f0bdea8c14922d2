/**
 * Pure helpers behind the Compare view: which grid a run shows at a shared
 * epoch, what differs between runs, and whether the grids share noise.
 */
import type { TrainingConfig } from '../../../shared/config';
import type { RunRecord } from '../../../shared/run';
import { datasetOrigin } from './dataset-label';
import { configFieldLabel, formatConfigValue } from '../../../shared/config-fields';
import type { EpochMetrics } from '../../../shared/metrics';
import type { SampleRef } from '../../../shared/api';

/** The grid a run shows at `epoch`: its newest grid from that epoch or before; ended runs hold their last. */
export function gridAt(samples: SampleRef[], epoch: number): { sample?: SampleRef; ended: boolean } {
  let best: SampleRef | undefined;
  for (const sample of samples) {
    if (sample.epoch <= epoch && (!best || sample.step > best.step)) best = sample;
  }
  const lastEpoch = samples.reduce((max, s) => Math.max(max, s.epoch), 0);
  return { sample: best, ended: samples.length > 0 && epoch > lastEpoch };
}

/** One config key whose value differs between runs. */
export interface DiffRow {
  key: string;
  /** The field's human label (config-fields.ts). */
  label: string;
  values: string[];
}

/** The config keys whose values are not all equal, in a stable order. */
export function configDiff(configs: TrainingConfig[]): DiffRow[] {
  const keys = [...new Set(configs.flatMap((c) => Object.keys(c)))].sort();
  const rows: DiffRow[] = [];
  for (const key of keys) {
    const values = configs.map((c) => formatConfigValue(key, (c as Record<string, unknown>)[key]));
    if (new Set(values).size > 1) rows.push({ key, label: configFieldLabel(key), values });
  }
  return rows;
}

/**
 * What differs between runs: their dataset first when they trained on different ones (two imports of
 * one folder under one name are told apart by where each came from), then the config keys.
 */
export function runDiff(runs: Pick<RunRecord, 'config' | 'dataset'>[]): DiffRow[] {
  const datasets = runs.map(({ dataset }) =>
    dataset.source ? `${dataset.name} (${datasetOrigin({ source: dataset.source, options: dataset.source.options })})` : `${dataset.name} (${dataset.id})`,
  );
  const differ = new Set(runs.map((run) => run.dataset.id)).size > 1;
  return [...(differ ? [{ key: 'dataset', label: 'Dataset', values: datasets }] : []), ...configDiff(runs.map((run) => run.config))];
}

/** Grids come from the same latent vectors only when latent size and seed agree. */
export function sharesNoise(configs: TrainingConfig[]): boolean {
  const first = configs[0];
  return first !== undefined && configs.every((c) => c.latentDim === first.latentDim && c.seed === first.seed);
}

const KNOWN = new Set(['epoch', 'step', 'gen_loss', 'disc_loss', 'real_accuracy', 'fake_accuracy', 'images_per_second', 'seconds']);

/** Extra numeric per-epoch fields (quality metrics such as FID) that any of the runs recorded. */
export function qualityKeys(runs: EpochMetrics[][]): string[] {
  const keys = new Set<string>();
  for (const epochs of runs) {
    for (const epoch of epochs) {
      for (const [key, value] of Object.entries(epoch)) if (!KNOWN.has(key) && typeof value === 'number') keys.add(key);
    }
  }
  return [...keys].sort();
}
