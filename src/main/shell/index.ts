/**
 * Electron entry. Thin on purpose: it follows the app's lifecycle (single
 * instance, ready, activate, quit), locks the window down, and wires the
 * Electron-free StudioService to IPC, the custom protocols and the
 * utilityProcess trainer launcher. Everything it calls is tested without
 * Electron.
 */
import { app, BrowserWindow, dialog, Menu, session, shell, type MenuItemConstructorOptions } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinDatasetSource } from '../data';
import { allowedDocLink } from '../doc-links';
import { resourcesDir } from '../paths';
import { gpuHostTrainerLauncher, openGpuHostWindow } from './electron-gpu-host';
import { askGpuWindow } from '../gpu-host/gpu-window-probe';
import { desktopBackendProbe } from '../gpu-host/desktop-backend';
import { diagnoseDesktopBackends } from '../gpu-host/desktop-doctor';
import { diagnoseBackendsInUtility, probeBackendInUtility, utilityGenerateWorker, utilityTrainerLauncher } from './electron-trainer';
import { forwardEvents, registerIpcHandlers } from './ipc';
import { followMainWindow } from './main-window';
import { notifyRunEvents } from './notifications';
import {
  APP_ORIGIN,
  appContentSecurityPolicy,
  datasetPreviewUrl,
  registerPrivilegedSchemes,
  registerProtocolHandlers,
  runFileUrl,
} from './protocol';
import { loadSettings, resolveRunsRoot, saveSettings, type Settings } from '../settings';
import { defaultDatasetsRoot } from '../studio-home';
import { StudioService } from '../studio-service';
import { PathGrants } from '../studio-service/path-grants';
import { routeTrainersByBackend } from '../training/backend-routed-launcher';

const here = dirname(fileURLToPath(import.meta.url)); // out/main
/** electron-vite dev serves the renderer over HTTP; never honoured in a packaged app. */
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const devOrigin = devUrl ? new URL(devUrl).origin : undefined;
const trustedOrigins = [APP_ORIGIN, ...(devOrigin ? [devOrigin] : [])];

/** The main window while it is open (hidden GPU host windows are never it). */
let mainWindow: () => BrowserWindow | undefined = () => undefined;

// Schemes must be privileged before 'ready'.
registerPrivilegedSchemes();
// WebGPU (navigator.gpu, used by the GPU host window's trainer) is on by default in Chromium on macOS and
// Windows only; on Linux it needs these switches, set before 'ready'.
if (process.platform === 'linux') {
  app.commandLine.appendSwitch('enable-unsafe-webgpu');
  app.commandLine.appendSwitch('enable-features', 'Vulkan');
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const window = mainWindow();
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const settingsFile = join(userData, 'settings.json');
  const settings = await loadSettings(settingsFile);
  const runsRoot = resolveRunsRoot({ env: process.env, settings, defaultRoot: join(userData, 'runs') });
  // One dataset cache for the app, the CLI and serve (~/.gan-studio/datasets or $GAN_STUDIO_HOME/datasets).
  const datasetsRoot = defaultDatasetsRoot();

  hardenSession();
  registerProtocolHandlers({ rendererDir: join(here, '..', 'renderer'), runsRoot, datasetsRoot });
  const gpuWindow = { pageUrl: new URL('gpu-host.html', devUrl ?? `${APP_ORIGIN}/`).href, preload: join(here, '..', 'preload', 'gpu-host.cjs') };
  const probeScript = join(here, 'probe.js');
  const askWindow = () => askGpuWindow(openGpuHostWindow(gpuWindow));
  const desktopBackend = desktopBackendProbe(() => probeBackendInUtility(probeScript), askWindow);
  const service = new StudioService({
    runsRoot,
    datasetsRoot,
    // webgpu runs train in a hidden window on Chromium's WebGPU (Dawn cannot read back inside Electron); others in a utility
    // process. Auto takes the window when Chromium offers a hardware adapter and tfjs-node-gpu is not there first.
    launcher: routeTrainersByBackend({
      standard: utilityTrainerLauncher(join(here, 'trainer.js')),
      webgpu: gpuHostTrainerLauncher(gpuWindow),
      autoTrainsOnWebgpu: async () => (await desktopBackend()).name === 'webgpu',
    }),
    shell: 'electron',
    urlForRunFile: runFileUrl,
    urlForDatasetPreview: datasetPreviewUrl,
    reveal: (path) => shell.showItemInFolder(path),
    probeBackend: desktopBackend,
    // The doctor's report as the desktop app trains: the trainer process's, with the GPU window's own answer.
    diagnoseBackends: () => diagnoseDesktopBackends(() => diagnoseBackendsInUtility(probeScript), askWindow),
    ...(settings.maxConcurrentRuns ? { maxConcurrentRuns: settings.maxConcurrentRuns } : {}),
    generate: utilityGenerateWorker(join(here, 'generate.js')),
  });
  registerIpcHandlers({
    service,
    allowedOrigins: trustedOrigins,
    grants: new PathGrants([builtinDatasetSource()]),
    confirmPath,
    chosenBefore: (path) => service.isDatasetSource(path),
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(menuTemplate(runsRoot, () => void chooseRunsRoot(settingsFile, settings))),
  );

  // Quit and activate follow the main window, not the window count: GPU host windows are hidden.
  mainWindow = followMainWindow(app, { platform: process.platform, open: () => createWindow(service) });
  // Finished, failed and crashed runs notify; the dock/taskbar shows training progress.
  notifyRunEvents(service, mainWindow);
  // Trainers get the chance to checkpoint before the app exits.
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopping) return;
    event.preventDefault();
    stopping = true;
    void service.shutdown().finally(() => app.quit());
  });
}

function createWindow(service: StudioService): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'GAN Studio',
    icon: join(resourcesDir(), 'icon.png'),
    webPreferences: {
      // Reviewed (see src/cli/lint-electron.ts): a sandboxed CommonJS preload that exposes one typed call proxy
      // through contextBridge — no Node, no ipcRenderer — and main validates every call with the shared schemas.
      preload: join(here, '..', 'preload', 'index.cjs'), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // A middle-click would open a link in a new window without the click handlers seeing it.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  forwardEvents(service, window.webContents);
  void window.loadURL(devUrl ?? `${APP_ORIGIN}/`);
  return window;
}

/** No navigation away from the app, no new windows (the studio's documentation links open in the OS browser), no webviews. */
function lockDown(contents: Electron.WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const link = allowedDocLink(url);
    // Only a string from the DOC_LINKS allowlist reaches the OS, never the page's own URL.
    if (link) void shell.openExternal(link); // eng-disable OPEN_EXTERNAL_JS_CHECK
    return { action: 'deny' };
  });
}

/** Deny every permission, send the CSP with every response, and load nothing remote. */
function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [appContentSecurityPolicy(devOrigin)] } });
  });
  ses.webRequest.onBeforeRequest((details, callback) => {
    const url = details.url;
    const local = /^(app|studio|data|blob|devtools|chrome-extension):/.test(url) || (devOrigin !== undefined && isDevUrl(url));
    callback({ cancel: !local });
  });
}

function isTrustedUrl(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`) || (devOrigin !== undefined && isDevUrl(url));
}

function isDevUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol.replace('ws', 'http')}//${parsed.host}` === devOrigin;
  } catch {
    return false;
  }
}

/** A typed import path is read only after the user confirms it here, where the page cannot answer for them. */
async function confirmPath(path: string): Promise<boolean> {
  const options: Electron.MessageBoxOptions = {
    type: 'question',
    message: 'Import this dataset?',
    detail: `GAN Studio will read ${path}.`,
    buttons: ['Import', 'Cancel'],
    defaultId: 0,
    cancelId: 1,
  };
  const window = mainWindow();
  const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  return response === 0;
}

/** Let the user move the runs root (saved in settings.json); takes effect after a restart. */
async function chooseRunsRoot(settingsFile: string, settings: Settings): Promise<void> {
  const options: Electron.OpenDialogOptions = { title: 'Choose the runs folder', properties: ['openDirectory', 'createDirectory'] };
  const window = mainWindow();
  const picked = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  const folder = picked.filePaths[0];
  if (picked.canceled || !folder) return;
  await saveSettings(settingsFile, { ...settings, runsRoot: folder });
  const note = process.env.GAN_STUDIO_RUNS ? ' (GAN_STUDIO_RUNS is set and still wins over this setting)' : '';
  const { response } = await dialog.showMessageBox({
    message: `Runs will be kept in ${folder}${note}.`,
    detail: 'GAN Studio restarts to switch folders; running trainers checkpoint first.',
    buttons: ['Restart now', 'Later'],
  });
  if (response === 0) {
    app.relaunch();
    app.quit();
  }
}

function menuTemplate(runsRoot: string, changeRunsRoot: () => void): MenuItemConstructorOptions[] {
  return [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Show Runs Folder', click: () => void shell.openPath(runsRoot) },
        { label: 'Change Runs Folder…', click: changeRunsRoot },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(devUrl ? [{ role: 'toggleDevTools' as const }] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: `GAN Studio ${app.getVersion()}`, enabled: false }] },
  ];
}
