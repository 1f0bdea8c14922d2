/**
 * The sandboxed preload: exposes exactly StudioApi as `window.studio` (plus
 * pathForFile for drag-and-drop), nothing raw — no ipcRenderer, no Node.
 * Built as CommonJS (.cjs) because sandboxed preloads cannot be ES modules.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { StudioApi, StudioEvent } from '../shared/api';
import { STUDIO_CALLS } from '../shared/calls';
import { callChannel, EVENT_CHANNEL, GRANT_PATH_CHANNEL, type IpcResult } from './channels';

async function call(name: string, args: unknown[]): Promise<unknown> {
  const result = (await ipcRenderer.invoke(callChannel(name), ...args)) as IpcResult;
  if (result.ok) return result.value;
  // Only an Error's message survives contextBridge, so the hint rides on a second line.
  const { message, hint } = result.error;
  throw new Error(hint ? `${message}\n${hint}` : message);
}

const calls = Object.fromEntries(STUDIO_CALLS.map((name) => [name, (...args: unknown[]) => call(name, args)])) as Omit<StudioApi, 'onEvent'>;

/** What the renderer sees as window.studio. */
const api = {
  ...calls,
  onEvent(listener: (event: StudioEvent) => void): () => void {
    const handler = (_event: Electron.IpcRendererEvent, studioEvent: StudioEvent): void => listener(studioEvent);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
  /**
   * The real path of a dropped File. Reporting it to the main process is
   * what makes it importable: the main process only reads chosen paths.
   */
  pathForFile(file: File): string {
    const path = webUtils.getPathForFile(file);
    if (path) ipcRenderer.send(GRANT_PATH_CHANNEL, path);
    return path;
  },
} satisfies StudioApi & { pathForFile(file: File): string };

export type PreloadStudioApi = typeof api;

contextBridge.exposeInMainWorld('studio', api);
