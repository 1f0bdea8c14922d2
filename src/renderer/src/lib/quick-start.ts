/** What the first-launch quick start decides, as pure functions (first-launch.svelte.ts acts on them). */
import type { DatasetInfo, RunListItem } from '../../../shared/api';
import type { PresetName } from '../../../shared/presets';

/** The preset "Train a quick GAN" uses: small, 28×28×1 like the built-in set, recognisable in minutes. */
export const QUICK_PRESET: PresetName = 'quick';

/** An empty studio: nothing imported and nothing trained (a first open, or everything deleted). */
export function isFreshStudio(datasets: readonly DatasetInfo[], runs: readonly RunListItem[]): boolean {
  return datasets.length === 0 && runs.length === 0;
}

/** The built-in dataset as imported at its own size, if it is in the library. */
export function builtinDataset(datasets: readonly DatasetInfo[]): DatasetInfo | undefined {
  return datasets.find((d) => d.manifest.source.kind === 'builtin' && d.manifest.options.size === undefined);
}
