/**
 * The GPU host window's sandboxed preload (CommonJS, out/preload/gpu-host.cjs).
 * It exposes nothing on window. Its one job: hand the page the MessagePort the
 * main process sends once the page has loaded. A context-isolated page has no
 * ipcRenderer, and a port crosses from this isolated world into the page only
 * by window.postMessage (Electron's documented MessagePort pattern).
 */
import { ipcRenderer } from 'electron';
import { GPU_HOST_PORT_CHANNEL } from '../shared/gpu-host-protocol';

// Once: the page gets one port for its life; a second would be a second, unexpected host.
ipcRenderer.once(GPU_HOST_PORT_CHANNEL, (event) => {
  // Addressed to the page's own origin, so nothing else framed in the window could take it.
  window.postMessage(GPU_HOST_PORT_CHANNEL, window.location.origin, event.ports);
});
