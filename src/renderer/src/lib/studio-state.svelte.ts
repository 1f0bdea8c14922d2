/**
 * App-wide state the views share: app info, presets, datasets, the run list
 * and long-operation progress. Filled from the API once and kept current by
 * the event stream; views only read it and call `refresh*` after actions.
 */
import type { AppInfo, DamagedRun, DatasetInfo, PresetInfo, Progress, RunSummary, StudioEvent } from '../../../shared/api';
import { studio } from './api';
import { go } from './router.svelte';

/** A "New variant" request the Compare/Live views hand to the New-run form. */
export interface DraftRun {
  datasetId: string;
  config: Record<string, unknown>;
  name?: string;
  /** The run it varies: its dataset (named even when deleted) and config, for the automatic name. */
  parent?: RunSummary;
}

export const studioState = $state({
  appInfo: undefined as AppInfo | undefined,
  presets: [] as PresetInfo[],
  datasets: [] as DatasetInfo[],
  runs: [] as RunSummary[],
  /** Whether each list has been read once: until then an empty list means "not yet known", not "none". */
  loaded: { datasets: false, runs: false },
  /** Run folders whose run.json is unusable: listed with the reason so they can be deleted. */
  damagedRuns: [] as DamagedRun[],
  /** Progress of long operations, keyed by operation name; removed when done. */
  progress: {} as Record<string, Progress>,
  loadError: undefined as unknown,
  draft: undefined as DraftRun | undefined,
});

function sortRuns(runs: RunSummary[]): RunSummary[] {
  return [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

function upsertRun(run: RunSummary): void {
  const index = studioState.runs.findIndex((r) => r.id === run.id);
  if (index === -1) studioState.runs = sortRuns([...studioState.runs, run]);
  else studioState.runs[index] = run;
}

function onEvent(event: StudioEvent): void {
  switch (event.type) {
    case 'run-updated':
      upsertRun(event.run);
      break;
    case 'run-deleted':
      studioState.runs = studioState.runs.filter((r) => r.id !== event.runId);
      studioState.damagedRuns = studioState.damagedRuns.filter((r) => r.id !== event.runId);
      break;
    case 'progress': {
      const { progress } = event;
      // Exports carry an id and are shown (and cancelled) by their own panel, not the app-wide bar.
      if (progress.id !== undefined) break;
      if (progress.total !== undefined && progress.done >= progress.total) delete studioState.progress[progress.operation];
      else studioState.progress[progress.operation] = progress;
      break;
    }
    default:
      break;
  }
}

/** Re-read the dataset list. */
export async function refreshDatasets(): Promise<void> {
  studioState.datasets = await studio.listDatasets();
  studioState.loaded.datasets = true;
}

/** Re-read the run list. */
export async function refreshRuns(): Promise<void> {
  const listed = await studio.listRuns();
  studioState.runs = sortRuns(listed.filter((run): run is RunSummary => run.status !== 'damaged'));
  studioState.damagedRuns = listed.filter((run): run is DamagedRun => run.status === 'damaged');
  studioState.loaded.runs = true;
}

/**
 * Load what the views need. Each part loads on its own, so a slow or failing
 * backend probe does not hide the presets, datasets or runs.
 */
export async function loadStudioState(): Promise<void> {
  studioState.loadError = undefined;
  const fail = (error: unknown): void => {
    // Statements, not assignment expressions: Svelte warns (assignment_value_stale) when the
    // value of an assignment to $state is used, since it is not the proxied value stored.
    if (studioState.loadError === undefined) studioState.loadError = error;
  };
  await Promise.all([
    studio.getAppInfo().then((info) => {
      studioState.appInfo = info;
    }, fail),
    studio.listPresets().then((presets) => {
      studioState.presets = presets;
    }, fail),
    refreshDatasets().catch(fail),
    refreshRuns().catch(fail),
  ]);
}

/** Start listening for events, then load. */
export function startStudioState(): Promise<void> {
  studio.onEvent(onEvent);
  return loadStudioState();
}

/** Upsert a run returned by a call (create, rename) without waiting for its event. */
export function rememberRun(run: RunSummary): void {
  upsertRun(run);
}

/** Open New run pre-filled from `run` (its dataset, config and a link back to it). */
export function startVariant(run: RunSummary): void {
  studioState.draft = { datasetId: run.dataset.id, config: { ...run.config }, parent: run };
  go({ view: 'new' });
}

/** "Train on this": New run with the dataset chosen and a preset that fits its images (lib/dataset-fit.ts). */
export function trainOnDataset(datasetId: string, preset: string): void {
  studioState.draft = { datasetId, config: { preset } };
  go({ view: 'new' });
}
