/**
 * The host's handle on one GPU host page, whatever shows it: a hidden Electron
 * window in the desktop app (electron-gpu-host.ts), a Chromium tab under
 * Playwright in the tests. The trainer connection only talks to this.
 */
import type { HostToPage, PageToHost } from '../../shared/gpu-host-protocol';

/** One end of the page's MessagePort. */
export interface HostPort {
  post(message: HostToPage): void;
  onMessage(listener: (message: PageToHost) => void): void;
}

export interface GpuHostPage {
  /** Resolves once the page has loaded and holds the other end of the port; rejects if it cannot load. */
  readonly port: Promise<HostPort>;
  /** Called at most once, when the page's renderer dies or its window closes for any reason. */
  onGone(listener: (reason: string) => void): void;
  /** Close the page (idempotent); onGone fires. */
  close(): void;
}
