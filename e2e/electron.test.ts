/**
 * The same happy path in the Electron window (Playwright `_electron`). Runs
 * only where an Electron binary is installed; elsewhere it is skipped with
 * the reason printed. The binary is located from electron's path.txt
 * without `require('electron')`, which would try to download it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetSource } from '../src/main/data';
import { watchErrors } from './browser';
import { rendererIsStale } from './renderer-build';
import { findInHistory, importBuiltinSample, importTypedPath, pauseResumeStop, seeGridAndCharts, startTinyRun } from './flows';

const root = resolve(import.meta.dirname, '..');

/** The Electron binary, or why there is none. */
function electronBinary(): { path: string } | { reason: string } {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return { reason: `no Electron binary: ${pathFile} is missing (the download is blocked here)` };
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { reason: `no Electron binary at ${binary}` };
}

const binary = electronBinary();
if ('reason' in binary) console.warn(`[e2e/electron] skipped: ${binary.reason}`);

describe.skipIf('reason' in binary)('studio in the Electron window', () => {
  let work: string;
  let app: ElectronApplication;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    if (!('path' in binary)) return;
    const main = join(root, 'out', 'main', 'index.js');
    // The window loads the whole electron-vite build (main, preload, renderer); build it when stale.
    if (!existsSync(main) || rendererIsStale()) execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
    work = await mkdtemp(join(tmpdir(), 'gan-studio-electron-'));
    app = await _electron.launch({
      executablePath: binary.path,
      // Chromium's WebGPU for the GPU window on a machine without a GPU: SwiftShader through Vulkan.
      args: [main, '--use-vulkan=native', '--use-angle=vulkan', '--ignore-gpu-blocklist'],
      env: { ...process.env, GAN_STUDIO_HOME: work, GAN_STUDIO_RUNS: join(work, 'runs') },
    });
    page = await app.firstWindow();
    errors = watchErrors(page);
    await page.locator('[data-connection="open"]').waitFor();
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('exposes only the studio API to the page', async () => {
    const exposed = await page.evaluate(() => ({
      studio: typeof (window as unknown as { studio?: unknown }).studio,
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(exposed).toEqual({ studio: 'object', require: 'undefined', process: 'undefined' });
  });

  it('imports, trains, pauses, resumes, stops and lists a tiny run', async () => {
    expect(await importBuiltinSample(page)).toBeGreaterThan(0);
    await importTypedPath(page, builtinDatasetSource(), 16, 3000);
    const base = page.url().split('#')[0] ?? page.url();
    const runId = await startTinyRun(page, base, '3,000 · 16×16×1', 'electron tiny');
    await seeGridAndCharts(page);
    await pauseResumeStop(page);
    await findInHistory(page, base, runId, 'electron tiny');
    expect(errors).toEqual([]);
  });

  it("trains a webgpu run in the hidden GPU window on Chromium's WebGPU, which closes when the run ends", async () => {
    const base = page.url().split('#')[0] ?? page.url();
    const runId = await startTinyRun(page, base, '3,000 · 16×16×1', 'electron webgpu', { backend: 'webgpu' });
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 240_000 }).toMatch(/completed/i);
    const record = JSON.parse(await readFile(join(work, 'runs', runId, 'run.json'), 'utf8')) as { backend?: { name: string; device: string } };
    expect(record.backend?.name).toBe('webgpu');
    expect(record.backend?.device).toMatch(/in the app's Chromium$/);
    await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    expect(errors).toEqual([]);
  });
});
