/**
 * A new user's first minute: the built-in Fashion-MNIST is imported by itself
 * on the first open of an empty studio, and one click trains a quick GAN on it.
 */
import { isElectron, studio } from './api';
import { askNotificationPermission } from './browser-notifications';
import { builtinDataset, isFreshStudio, QUICK_PRESET } from './quick-start';
import { importBuiltin, importer } from './importer.svelte';
import { go } from './router.svelte';
import { rememberRun, studioState } from './studio-state.svelte';

/** After the first load: an empty studio gets the built-in dataset, so a dataset is ready without a click. */
export async function prepareFirstLaunch(): Promise<void> {
  if (studioState.loadError !== undefined) return;
  if (!isFreshStudio(studioState.datasets, [...studioState.runs, ...studioState.damagedRuns])) return;
  await importBuiltin();
}

export const quickStart = $state({ starting: false, error: undefined as unknown });

/** Create and start a run of the quick preset on the built-in dataset, then open it. */
export async function trainQuickGan(): Promise<void> {
  const dataset = builtinDataset(studioState.datasets);
  if (!dataset || quickStart.starting || importer.busy) return;
  if (!isElectron) askNotificationPermission();
  quickStart.starting = true;
  quickStart.error = undefined;
  try {
    const run = await studio.createRun({ datasetId: dataset.manifest.id, config: { preset: QUICK_PRESET } });
    rememberRun(run);
    go({ view: 'run', runId: run.id });
  } catch (error) {
    quickStart.error = error;
  } finally {
    quickStart.starting = false;
  }
}
