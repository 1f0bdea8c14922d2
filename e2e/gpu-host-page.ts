/**
 * The GPU host page in Debian's Chromium, as the tests' GpuHostPage: served
 * from out/renderer over http://127.0.0.1 (WebGPU needs a secure context),
 * with the MessagePort the Electron preload would hand over made in the page
 * and bridged to Node through a Playwright binding (bytes as base64 inside
 * JSON). Chromium runs with WebGPU on; without a GPU it offers SwiftShader.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { GPU_HOST_PORT_CHANNEL, type HostToPage, type PageToHost } from '../src/shared/gpu-host-protocol';
import type { GpuHostPage } from '../src/main/gpu-host/page-port';
import { contentSecurityPolicy } from '../src/main/studio-service/csp';
import { chromiumArgs, chromiumPath, watchErrors } from './browser';
import { rendererOutDir } from './renderer-build';

/** Chromium's WebGPU on a machine without a GPU: Vulkan through SwiftShader. */
const webgpuArgs = [
  ...chromiumArgs.filter((arg) => arg !== '--disable-gpu'),
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=native',
  '--use-angle=vulkan',
  '--ignore-gpu-blocklist',
];

export function launchWebgpuChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: webgpuArgs, headless: true });
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Serve out/renderer read-only on 127.0.0.1 with the app:// CSP (protocol.ts); resolves to its origin. */
export async function serveRenderer(): Promise<{ origin: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = normalize(join(rendererOutDir, new URL(request.url ?? '/', 'http://x').pathname));
    if (!path.startsWith(rendererOutDir) || !existsSync(path)) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-security-policy': contentSecurityPolicy({ fileSources: ['studio:'] }) });
    createReadStream(path).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

type Encoded = string;

/** JSON with every byte array as { $bytes: base64 } (Node's Buffer.toJSON would get there first otherwise). */
function encode(value: unknown): Encoded {
  const walk = (item: unknown): unknown => {
    if (item instanceof Uint8Array) return { $bytes: Buffer.from(item.buffer, item.byteOffset, item.byteLength).toString('base64') };
    if (Array.isArray(item)) return item.map(walk);
    if (item && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, walk(inner)]));
    return item;
  };
  return JSON.stringify(walk(value));
}

function decode(text: Encoded): unknown {
  return JSON.parse(text, (_key, value: unknown) =>
    value && typeof value === 'object' && '$bytes' in value ? new Uint8Array(Buffer.from(String(value.$bytes), 'base64')) : value,
  );
}

/** Open the page in a new tab and connect it as the Electron preload would. */
export async function openGpuHostPage(browser: Browser, origin: string): Promise<GpuHostPage & { page: Page; errors: string[] }> {
  const page = await browser.newPage();
  // Test-side only: keep the GPUDevices the page creates, so a test can make one fail (destroyGpuDevices).
  await page.addInitScript(() => {
    const request = GPUAdapter.prototype.requestDevice;
    const devices: GPUDevice[] = ((window as unknown as { testGpuDevices: GPUDevice[] }).testGpuDevices = []);
    GPUAdapter.prototype.requestDevice = async function (this: GPUAdapter, ...args: Parameters<GPUAdapter['requestDevice']>) {
      const device = await request.apply(this, args);
      devices.push(device);
      return device;
    };
  });
  const errors = watchErrors(page);
  let listener: ((message: PageToHost) => void) | undefined;
  await page.exposeBinding('ganStudioToHost', (_source, text: Encoded) => listener?.(decode(text) as PageToHost));
  await page.goto(`${origin}/gpu-host.html`);
  await page.evaluate((channel) => {
    const toText = (value: unknown) =>
      JSON.stringify(value, (_key, item: unknown) => {
        if (!(item instanceof Uint8Array)) return item;
        let binary = '';
        for (let i = 0; i < item.length; i += 0x8000) binary += String.fromCharCode(...item.subarray(i, i + 0x8000));
        return { $bytes: btoa(binary) };
      });
    const fromText = (text: string) =>
      JSON.parse(text, (_key, item: { $bytes?: string } | null) => (item && typeof item === 'object' && typeof item.$bytes === 'string' ? Uint8Array.from(atob(item.$bytes), (c) => c.charCodeAt(0)) : item));
    const bridge = window as unknown as { ganStudioToHost(text: string): void; ganStudioToPage(text: string): void };
    const { port1, port2 } = new MessageChannel();
    port2.onmessage = (event) => bridge.ganStudioToHost(toText(event.data));
    bridge.ganStudioToPage = (text) => port2.postMessage(fromText(text));
    window.postMessage(channel, location.origin, [port1]);
  }, GPU_HOST_PORT_CHANNEL);

  const goneListeners: ((reason: string) => void)[] = [];
  let gone = false;
  const markGone = (reason: string) => {
    if (gone) return;
    gone = true;
    goneListeners.forEach((fn) => fn(reason));
  };
  page.on('crash', () => markGone('crashed'));
  page.on('close', () => markGone('closed'));
  return {
    page,
    errors,
    port: Promise.resolve({
      post: (message: HostToPage) => void page.evaluate((text) => (window as unknown as { ganStudioToPage(text: string): void }).ganStudioToPage(text), encode(message)).catch(() => undefined),
      onMessage: (fn) => (listener = fn),
    }),
    onGone: (fn) => goneListeners.push(fn),
    close: () => void page.close().catch(() => undefined),
  };
}

/** Destroy every GPUDevice the page made: the GPU is gone, as after a driver reset. */
export function destroyGpuDevices(page: Page): Promise<void> {
  return page.evaluate(() => (window as unknown as { testGpuDevices: GPUDevice[] }).testGpuDevices.forEach((device) => device.destroy()));
}

/** openGpuHostPage as a launcher needs it: a GpuHostPage at once, the tab opening behind it. */
export function gpuHostPageIn(browser: Browser, origin: string): GpuHostPage {
  const opening = openGpuHostPage(browser, origin);
  return {
    port: opening.then((page) => page.port),
    onGone: (listener) => void opening.then((page) => page.onGone(listener), () => listener('could not open')),
    close: () => void opening.then((page) => page.close(), () => undefined),
  };
}
