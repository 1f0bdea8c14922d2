/**
 * Picks the StudioApi transport: the preload's `window.studio` under
 * Electron, else a WebSocket to the serving page's own origin with the token
 * from the page URL. Views import `studio` and never know which one runs.
 */
import type { StudioApi } from '../../../shared/api';
import { connectWebSocketApi, type ConnectionState } from './ws-client';

/** What the Electron preload adds on top of StudioApi (optional so older preloads still work). */
export interface ElectronStudio extends StudioApi {
  pathForFile?(file: File): string;
}

/** The token the server printed in its ready URL, kept for HTTP requests (uploads, files). */
export const serverToken = new URLSearchParams(location.search).get('token') ?? '';

function wsUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/ws?token=${encodeURIComponent(serverToken)}`;
}

// Read without a global declaration so this file never clashes with the preload's own typing.
const electron = (window as unknown as { studio?: ElectronStudio }).studio;
/** Asks the page's own server whether it still takes this token: 401/403 means it restarted with another. */
async function tokenRefused(): Promise<boolean> {
  const response = await fetch(`./?token=${encodeURIComponent(serverToken)}`, { method: 'HEAD', cache: 'no-store', credentials: 'omit' });
  return response.status === 401 || response.status === 403;
}

const ws = electron ? undefined : connectWebSocketApi(wsUrl(), undefined, tokenRefused);

/** The one StudioApi the views use. */
export const studio: ElectronStudio = electron ?? (ws as StudioApi);

/** True under Electron: drops resolve to real paths and "reveal folder" opens the file manager. */
export const isElectron = electron !== undefined;

/** Watch the server connection (always 'open' under Electron). */
export function onConnection(listener: (state: ConnectionState) => void): () => void {
  if (!ws) {
    listener('open');
    return () => undefined;
  }
  return ws.onConnection(listener);
}
