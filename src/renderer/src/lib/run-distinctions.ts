/**
 * What tells apart runs that read the same: two "quick · Fashion-MNIST"
 * runs differ in a setting a name leaves out (the seed), in the dataset
 * import, or only in when they started. Pickers show it beside the name.
 */
import { configField, formatConfigValue } from '../../../shared/config-fields';
import { settingPhrase } from '../../../shared/run-name';

export interface DistinguishableRun {
  id: string;
  name: string;
  config: object;
  dataset: { id: string };
  createdAt: string;
}

/** "seed 17", "hinge loss", "bce loss" (absent: the default it stands for): a setting as a picker shows it. */
function phrase(key: string, value: unknown): string {
  const field = configField(key);
  if (field && !field.phrase) return `${field.label.toLowerCase()} ${formatConfigValue(key, value)}`;
  return settingPhrase(key, value === undefined ? formatConfigValue(key, value) : value);
}

/**
 * For each run whose name another run shares: the settings in which the runs of that name differ,
 * else their dataset (`datasetDetail` says how: "1,000 images"), else the time it started.
 * Runs with a name of their own get nothing.
 */
export function runDistinctions(runs: readonly DistinguishableRun[], datasetDetail: (id: string) => string | undefined = () => undefined): Map<string, string> {
  const byName = new Map<string, DistinguishableRun[]>();
  for (const run of runs) byName.set(run.name, [...(byName.get(run.name) ?? []), run]);
  const out = new Map<string, string>();
  for (const group of byName.values()) {
    if (group.length < 2) continue;
    const configs = group.map((run) => run.config as Record<string, unknown>);
    const keys = [...new Set(configs.flatMap((config) => Object.keys(config)))];
    const differing = keys.filter((key) => new Set(configs.map((config) => JSON.stringify(config[key]))).size > 1);
    const datasets = new Set(group.map((run) => run.dataset.id)).size > 1;
    for (const run of group) {
      const parts = differing.map((key) => phrase(key, (run.config as Record<string, unknown>)[key]));
      if (datasets) parts.push(datasetDetail(run.dataset.id) ?? `dataset ${run.dataset.id}`);
      if (parts.length === 0) parts.push(`started ${run.createdAt.slice(0, 16).replace('T', ' ')}`);
      out.set(run.id, parts.join(' · '));
    }
  }
  return out;
}
