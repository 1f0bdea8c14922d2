/**
 * Builds the renderer for the e2e tests when out/renderer is missing or older
 * than its sources. Only the renderer is built (the same settings as the
 * renderer section of electron.vite.config.ts), so the browser tests do not
 * depend on the Electron main bundle.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build } from 'vite';
import { gpuHostModules } from '../src/renderer/gpu-host/vite-plugin';

const root = resolve(import.meta.dirname, '..');
/** Where the built renderer lands; `serve` serves this folder. */
export const rendererOutDir = join(root, 'out', 'renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when out/renderer's pages are absent or older than a source (the GPU host page bundles src/main's trainer). */
export function rendererIsStale(): boolean {
  const pages = ['index.html', 'gpu-host.html'].map((page) => join(rendererOutDir, page));
  if (!pages.every((page) => existsSync(page))) return true;
  const sources = Math.max(...['renderer', 'shared', 'main'].map((dir) => newestMtime(join(root, 'src', dir))));
  return Math.min(...pages.map((page) => statSync(page).mtimeMs)) < sources;
}

/** Build the renderer into out/renderer if it is stale. */
export async function ensureRendererBuilt(): Promise<void> {
  if (!rendererIsStale()) return;
  await build({
    configFile: false,
    root: join(root, 'src', 'renderer'),
    base: './',
    logLevel: 'warn',
    plugins: [svelte({ configFile: join(root, 'src', 'renderer', 'svelte.config.js') }), gpuHostModules(root)],
    build: {
      outDir: rendererOutDir,
      emptyOutDir: true,
      rollupOptions: { input: { index: join(root, 'src', 'renderer', 'index.html'), 'gpu-host': join(root, 'src', 'renderer', 'gpu-host.html') } },
    },
  });
}
