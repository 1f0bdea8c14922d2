/**
 * Names people read instead of ids and timestamps: a run is named from its
 * preset, its dataset and what differs from the run it varies (or, for a
 * first run, from its preset's defaults) — "quick · Fashion-MNIST · hinge
 * loss"; exports take that name as a safe file name.
 */
import { resolveTrainingConfig, type TrainingConfig } from './config';
import { configField } from './config-fields';

function show(value: unknown): string {
  if (value === undefined) return 'off';
  return Array.isArray(value) ? value.join('+') || 'off' : String(value);
}

/** A setting is named when its field has a phrase (the seed, where it trains, how often it saves are not). */
const isNamed = (key: string): boolean => configField(key)?.phrase !== undefined || configField(key) === undefined;

/** One setting as it reads in a name: "hinge loss", "EMA 0.99", "batch 64"; a key the field list does not know reads "key value". */
export function settingPhrase(key: string, value: unknown): string {
  const shown = show(value);
  return configField(key)?.phrase?.(shown) ?? `${key} ${shown}`;
}

/** The settings of `config` that differ from `baseline`, as short phrases, in the config's own key order. */
export function describeChanges(config: TrainingConfig, baseline: TrainingConfig): string[] {
  const keys = [...new Set([...Object.keys(config), ...Object.keys(baseline)])].filter(isNamed);
  const phrases: string[] = [];
  for (const key of keys) {
    const mine = (config as Record<string, unknown>)[key];
    if (show(mine) === show((baseline as Record<string, unknown>)[key])) continue;
    phrases.push(settingPhrase(key, mine));
  }
  return phrases;
}

/** A dataset's name without the parenthesised detail: "Fashion-MNIST (test set)" → "Fashion-MNIST". */
function shortDataset(name: string): string {
  return name.replace(/\s*\([^)]*\)\s*$/, '').trim() || name;
}

/**
 * "preset · dataset · changes": changes from `parent` when the run varies one
 * (its preset, if different, is one of them), else from the preset's defaults.
 * At most three changes are named; more read "+N more".
 */
export function autoRunName(config: TrainingConfig, datasetName: string, parent?: TrainingConfig): string {
  const baseline = parent && parent.preset === config.preset ? parent : resolveTrainingConfig({ preset: config.preset, seed: config.seed });
  const changes = describeChanges(config, baseline);
  const named = changes.length > 3 ? [...changes.slice(0, 3), `+${changes.length - 3} more`] : changes;
  return [config.preset, shortDataset(datasetName), ...named].join(' · ').slice(0, 200);
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/** A file name from a run name: letters and digits of any script, . _ -; nothing a file system or a shell trips on. */
export function safeFileName(name: string, fallback = 'run'): string {
  const cleaned = name
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .replace(/[-.]+$/, '');
  if (!cleaned) return fallback;
  return WINDOWS_RESERVED.test(cleaned) ? `${cleaned}_` : cleaned;
}
