import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { gpuHostModules } from './src/renderer/gpu-host/vite-plugin';

// The page's CSP allows no inline styles, but Vite's dev server injects component CSS as <style>
// elements: only the dev server's copy of index.html allows them (the main process does the same).
const devInlineStyles: Plugin = {
  name: 'dev-inline-styles',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';"),
};

// Three builds: main (Electron entry plus the trainer, backend-probe and generate process entries
// and the import's decode thread; the CLI runs from source through tsx), the CommonJS preloads
// (sandboxed preloads must be CJS), and the Svelte renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/shell/index.ts'),
          trainer: resolve(__dirname, 'src/main/training/trainer-entry.ts'),
          // Backend probe: a short-lived process, so main never loads native TF or a GPU context.
          probe: resolve(__dirname, 'src/main/probe-entry.ts'),
          // Generate: one short-lived process per job, so drawing samples never blocks main.
          generate: resolve(__dirname, 'src/main/generate/generate-entry.ts'),
          // Image decoding for imports: worker threads of the main process (data/decode-threads.ts).
          'decode-worker': resolve(__dirname, 'src/main/data/decode-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        // The app window's preload, and the hidden GPU host window's (it forwards one MessagePort).
        // Each must stay one self-contained file: a sandboxed preload cannot require a shared chunk.
        input: { index: resolve(__dirname, 'src/preload/index.ts'), 'gpu-host': resolve(__dirname, 'src/preload/gpu-host.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    build: {
      outDir: 'out/renderer',
      // The renderer is web content: ship it minified (1.76 MB → ~0.73 MB).
      minify: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/renderer/index.html'),
          // The desktop app's hidden GPU trainer window: the trainer's modules on Chromium's WebGPU.
          'gpu-host': resolve(__dirname, 'src/renderer/gpu-host.html'),
        },
      },
    },
    plugins: [svelte(), devInlineStyles, gpuHostModules(__dirname)],
  },
});
