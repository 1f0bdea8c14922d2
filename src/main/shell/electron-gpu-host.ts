/**
 * The desktop app's WebGPU trainer host: a hidden, sandboxed window whose page
 * (gpu-host.html) trains on Chromium's own navigator.gpu, since Dawn's Node
 * binding cannot read GPU memory back inside Electron (docs/backends.md,
 * "Inside Electron"). Thin on purpose: this file only opens the window and
 * hands the page one MessagePort; what travels over it is the Electron-free
 * host connection's business (gpu-host/host-connection.ts).
 */
import { BrowserWindow, MessageChannelMain, type MessagePortMain } from 'electron';
import { GPU_HOST_PORT_CHANNEL, type PageToHost } from '../../shared/gpu-host-protocol';
import { createGpuHostConnection } from '../gpu-host/host-connection';
import type { GpuHostPage, HostPort } from '../gpu-host/page-port';
import type { TrainerLauncher } from '../training/trainer-connection';

export interface GpuHostWindowOptions {
  /** app://studio/gpu-host.html (or the dev server's copy). */
  pageUrl: string;
  /** The built GPU host preload, out/preload/gpu-host.cjs. */
  preload: string;
}

/** Open one hidden GPU host window; its page gets the other end of `port` once it has loaded. */
export function openGpuHostWindow(options: GpuHostWindowOptions): GpuHostPage {
  const window = new BrowserWindow({
    show: false,
    title: 'GAN Studio GPU trainer',
    webPreferences: {
      // Reviewed (see src/cli/lint-electron.ts): a sandboxed CommonJS preload that exposes nothing and only
      // forwards the one MessagePort sent below to the page's own origin.
      preload: options.preload, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // A hidden window's timers are throttled otherwise, and the training loop would crawl.
      backgroundThrottling: false,
      // As in the app window: a middle-click would open a link in a new window unseen by its handlers.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const contents = window.webContents;
  const goneListeners = new Set<(reason: string) => void>();
  let goneReason: string | undefined;
  let hostEnd: MessagePortMain | undefined;
  let portSettled = false;
  let rejectPort: (error: Error) => void = () => undefined;

  const port = new Promise<HostPort>((resolve, reject) => {
    rejectPort = (error) => {
      if (portSettled) return;
      portSettled = true;
      reject(error);
    };
    contents.once('did-finish-load', () => {
      if (portSettled) return; // failed or gone first: an error page gets no port
      portSettled = true;
      // Only now: a port posted before the page has loaded would reach no listener.
      const channel = new MessageChannelMain();
      hostEnd = channel.port1;
      contents.postMessage(GPU_HOST_PORT_CHANNEL, null, [channel.port2]);
      resolve(wrapPort(channel.port1));
    });
    contents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
      if (isMainFrame) rejectPort(new Error(`The GPU host page ${url} could not load: ${description} (${code}).`));
    });
  });
  // Whoever awaits `port` hears its rejection; nobody awaiting it is no reason to crash the app.
  port.catch(() => undefined);

  const gone = (reason: string): void => {
    if (goneReason !== undefined) return;
    goneReason = reason;
    rejectPort(new Error(`The GPU host page went away before it loaded (${reason}).`));
    hostEnd?.close();
    for (const listener of goneListeners) listener(reason);
    goneListeners.clear();
  };
  contents.on('render-process-gone', (_event, details) => {
    gone(details.reason);
    // A hidden window with a dead renderer serves nothing and nobody would ever close it.
    if (!window.isDestroyed()) window.destroy();
  });
  window.once('closed', () => gone('closed'));

  // loadURL also rejects on a load that stops unfinished without did-fail-load; did-fail-load's reason, when there is one, came first.
  window.loadURL(options.pageUrl).catch((error: Error) => rejectPort(new Error(`The GPU host page ${options.pageUrl} could not load: ${error.message}`)));

  return {
    port,
    onGone(listener) {
      const reason = goneReason;
      if (reason === undefined) goneListeners.add(listener);
      else queueMicrotask(() => listener(reason)); // latched: a late subscriber still hears it
    },
    close() {
      // destroy(), not close(): no beforeunload for the page to veto, and 'closed' is guaranteed.
      if (!window.isDestroyed()) window.destroy();
    },
  };
}

/** The host's end of the page's port; messages queue in the port until the first listener starts it, so none is lost. */
function wrapPort(port: MessagePortMain): HostPort {
  return {
    post: (message) => port.postMessage(message),
    onMessage(listener) {
      port.on('message', (event) => listener(event.data as PageToHost));
      port.start();
    },
  };
}

/** A TrainerLauncher whose trainers each run in their own hidden GPU host window. */
export function gpuHostTrainerLauncher(options: GpuHostWindowOptions): TrainerLauncher {
  return () => createGpuHostConnection(openGpuHostWindow(options));
}
