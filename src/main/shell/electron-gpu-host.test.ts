/**
 * The GPU host window: hidden and locked down like the app window, its page
 * gets one MessagePort on the right channel only after it has loaded, the
 * port relays both ways, a failed load rejects the port, and the page's end
 * (renderer gone, window closed, close()) is reported once. Electron is
 * mocked with EventEmitters that behave as the real objects do where it
 * matters here: a destroyed window throws when destroyed again, and a
 * MessagePortMain queues messages until start().
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GPU_HOST_PORT_CHANNEL, type HostToPage, type PageToHost } from '../../shared/gpu-host-protocol';
import type { GpuHostPage } from '../gpu-host/page-port';

interface FakePort {
  postMessage(data: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  start(): void;
  closed: boolean;
}
interface FakeWindow {
  options: { show: boolean; webPreferences: Record<string, unknown> };
  loaded: string[];
  destroyed: boolean;
  destroy(): void;
  emit(event: string, ...args: unknown[]): boolean;
  webContents: {
    posted: { channel: string; message: unknown; ports: FakePort[] }[];
    emit(event: string, ...args: unknown[]): boolean;
  };
}

const electron = vi.hoisted(() => ({ windows: [] as unknown[] }));
vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  class MessagePortMain extends EventEmitter {
    peer!: MessagePortMain;
    closed = false;
    private started = false;
    private readonly queue: unknown[] = [];
    postMessage(data: unknown): void {
      if (!this.closed) this.peer.deliver(data);
    }
    deliver(data: unknown): void {
      this.queue.push(data);
      this.flush();
    }
    start(): void {
      this.started = true;
      this.flush();
    }
    close(): void {
      this.closed = true;
    }
    private flush(): void {
      if (this.started) for (const data of this.queue.splice(0)) this.emit('message', { data, ports: [] });
    }
  }
  class MessageChannelMain {
    port1 = new MessagePortMain();
    port2 = new MessagePortMain();
    constructor() {
      this.port1.peer = this.port2;
      this.port2.peer = this.port1;
    }
  }
  class WebContents extends EventEmitter {
    posted: { channel: string; message: unknown; ports: unknown[] }[] = [];
    postMessage(channel: string, message: unknown, ports: unknown[]): void {
      this.posted.push({ channel, message, ports });
    }
  }
  class BrowserWindow extends EventEmitter {
    webContents = new WebContents();
    loaded: string[] = [];
    destroyed = false;
    constructor(readonly options: unknown) {
      super();
      electron.windows.push(this);
    }
    loadURL(url: string): Promise<void> {
      this.loaded.push(url);
      return new Promise((resolve, reject) => {
        this.webContents.once('did-finish-load', () => resolve());
        this.webContents.on('did-fail-load', (_event, code: number, description: string, _url, isMainFrame: boolean) => {
          if (isMainFrame) reject(new Error(`${description} (${code}) loading '${url}'`));
        });
      });
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    destroy(): void {
      if (this.destroyed) throw new Error('Object has been destroyed');
      this.destroyed = true;
      this.emit('closed');
    }
  }
  return { BrowserWindow, MessageChannelMain };
});
const connections = vi.hoisted(() => ({ pages: [] as unknown[] }));
vi.mock('../gpu-host/host-connection', () => ({
  createGpuHostConnection: (page: unknown) => {
    connections.pages.push(page);
    return { page };
  },
}));

const { gpuHostTrainerLauncher, openGpuHostWindow } = await import('./electron-gpu-host');

const OPTIONS = { pageUrl: 'app://studio/gpu-host.html', preload: '/app/out/preload/gpu-host.cjs' };

function open(): { page: GpuHostPage; window: FakeWindow; gone: string[] } {
  const page = openGpuHostWindow(OPTIONS);
  const window = electron.windows.at(-1) as FakeWindow;
  const gone: string[] = [];
  page.onGone((reason) => gone.push(reason));
  return { page, window, gone };
}

/** Let promise callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  electron.windows.length = 0;
});

describe('openGpuHostWindow', () => {
  it('opens a hidden window with the secure preferences, unthrottled, and loads the page', () => {
    const { window } = open();
    expect(window.options.show).toBe(false);
    expect(window.options.webPreferences).toEqual({
      preload: OPTIONS.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      backgroundThrottling: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(window.loaded).toEqual([OPTIONS.pageUrl]);
  });

  it('posts the port only after did-finish-load, on the port channel, and relays messages both ways', async () => {
    const { page, window } = open();
    let resolved = false;
    void page.port.then(() => (resolved = true));
    await settle();
    expect(window.webContents.posted).toEqual([]);
    expect(resolved).toBe(false);

    window.webContents.emit('did-finish-load');
    const host = await page.port;
    expect(window.webContents.posted).toHaveLength(1);
    const [{ channel, message, ports }] = window.webContents.posted as [(typeof window.webContents.posted)[number]];
    expect(channel).toBe(GPU_HOST_PORT_CHANNEL);
    expect(message).toBeNull();
    expect(ports).toHaveLength(1);
    const pageEnd = ports[0]!;

    // The page speaks first, before the host listens: nothing is lost.
    const exit: PageToHost = { kind: 'exit', code: 0 };
    const event: PageToHost = { kind: 'event', event: { type: 'paused' } };
    pageEnd.postMessage(event);
    const heard: PageToHost[] = [];
    host.onMessage((m) => heard.push(m));
    pageEnd.postMessage(exit);
    expect(heard).toEqual([event, exit]);

    const toPage: HostToPage[] = [];
    pageEnd.on('message', ({ data }) => toPage.push(data as HostToPage));
    pageEnd.start();
    host.post({ kind: 'hello', pid: 7, hostname: 'test-host' });
    host.post({ kind: 'command', command: { type: 'stop' } });
    expect(toPage).toEqual([
      { kind: 'hello', pid: 7, hostname: 'test-host' },
      { kind: 'command', command: { type: 'stop' } },
    ]);

    window.webContents.emit('did-finish-load'); // a second load (a reload) gets no second port
    expect(window.webContents.posted).toHaveLength(1);
  });

  it('rejects the port when the page fails to load, and then posts no port', async () => {
    const { page, window, gone } = open();
    window.webContents.emit('did-fail-load', {}, -300, 'ERR_INVALID_URL', 'app://studio/sub.html', false); // a subframe: not the page
    window.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', OPTIONS.pageUrl, true);
    await expect(page.port).rejects.toThrow('The GPU host page app://studio/gpu-host.html could not load: ERR_FILE_NOT_FOUND (-6).');
    window.webContents.emit('did-finish-load'); // Chromium's error page
    expect(window.webContents.posted).toEqual([]);
    expect(gone).toEqual([]); // the window is the caller's to close
    page.close();
    expect(gone).toEqual(['closed']);
  });

  it('reports a renderer that dies once, with its reason, rejects a port not yet given, and destroys the window', async () => {
    const { page, window, gone } = open();
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(gone).toEqual(['crashed']);
    expect(window.destroyed).toBe(true); // its 'closed' did not report a second time
    await expect(page.port).rejects.toThrow('The GPU host page went away before it loaded (crashed).');

    const late = await new Promise((resolve) => page.onGone(resolve));
    expect(late).toBe('crashed');
    page.close(); // already destroyed: no throw, nothing new
    expect(gone).toEqual(['crashed']);
  });

  it('reports a closed window once, and closes the host end of a port it gave', async () => {
    const { page, window, gone } = open();
    window.webContents.emit('did-finish-load');
    await page.port;
    const hostEnd = window.webContents.posted[0]!.ports[0]! as unknown as { peer: FakePort };
    window.emit('closed');
    window.emit('closed');
    expect(gone).toEqual(['closed']);
    expect(hostEnd.peer.closed).toBe(true);
  });

  it('close() destroys the window once, reports it gone once, and may be called again', () => {
    const { page, window, gone } = open();
    page.close();
    expect(window.destroyed).toBe(true);
    expect(() => page.close()).not.toThrow();
    expect(gone).toEqual(['closed']);
  });
});

describe('gpuHostTrainerLauncher', () => {
  it('opens one GPU host window per trainer and hands its page to the host connection', () => {
    connections.pages.length = 0;
    const launch = gpuHostTrainerLauncher(OPTIONS);
    expect(electron.windows).toHaveLength(0); // nothing opens until a trainer is launched
    launch();
    launch();
    expect(electron.windows).toHaveLength(2);
    expect(connections.pages).toHaveLength(2);
    expect(connections.pages[0]).toHaveProperty('port');
    expect(connections.pages[0]).not.toBe(connections.pages[1]);
  });
});
