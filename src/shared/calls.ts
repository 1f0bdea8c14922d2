/**
 * The names of every StudioApi call, as data: both client transports (the
 * Electron preload and the WebSocket client) build their call proxies from
 * it. Kept free of runtime imports so the sandboxed preload bundles nothing else.
 */
import type { StudioApi } from './api';

export const STUDIO_CALLS = [
  'getAppInfo', 'diagnoseBackends', 'listPresets', 'summarizeModels', 'listDatasets', 'importDataset', 'importBuiltinDataset', 'deleteDataset',
  'listRuns', 'getRun', 'getRunSteps', 'getRunHistory', 'createRun', 'createSweep', 'getExecutors', 'pauseRun', 'resumeRun', 'stopRun', 'renameRun', 'deleteRun', 'repeatRun', 'revealRun',
  'exportRun', 'writeEvidence', 'cancelExport', 'listCheckpoints', 'generate', 'cancelGenerate',
] as const satisfies readonly Exclude<keyof StudioApi, 'onEvent'>[];

// Fails to compile when a StudioApi call is missing from STUDIO_CALLS (a new call would silently not exist in the UI).
const CALLS_COMPLETE: Exclude<keyof StudioApi, 'onEvent' | (typeof STUDIO_CALLS)[number]> extends never ? true : never = true;
void CALLS_COMPLETE;
