/**
 * The app's lifetime follows its main window, not the number of windows open:
 * hidden GPU host windows (electron-gpu-host.ts) must neither keep the app
 * alive after the user closed the main window, nor stop a click on the macOS
 * dock icon from reopening it. Electron-free (the app and window are passed
 * in), so it is tested without Electron.
 */

/** The part of Electron's `app` this needs. */
export interface LifecycleApp {
  on(event: 'activate', listener: () => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  quit(): void;
}

export interface ClosableWindow {
  once(event: 'closed', listener: () => void): unknown;
}

/** Open the main window now and keep it for the app's lifetime; returns the current main window (undefined while closed). */
export function followMainWindow<W extends ClosableWindow>(app: LifecycleApp, options: { platform: NodeJS.Platform; open: () => W }): () => W | undefined {
  let current: W | undefined;
  const openMain = (): void => {
    const window = options.open();
    current = window;
    window.once('closed', () => {
      if (current === window) current = undefined;
      // Windows and Linux quit with the main window; a macOS app stays in the dock until Quit.
      if (options.platform !== 'darwin') app.quit();
    });
  };
  openMain();
  app.on('activate', () => {
    if (!current) openMain();
  });
  // Listening replaces Electron's default of quitting when the last window closes: that may be a GPU host
  // window whose trainer just ended, while (on macOS) the app should stay.
  app.on('window-all-closed', () => undefined);
  return () => current;
}
