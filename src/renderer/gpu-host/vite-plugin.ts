/**
 * How the GPU host page runs the trainer's own modules in a browser: the few
 * modules that touch the disk, sharp or Node's process APIs are swapped for
 * the page's versions in ./io (which ask the main process over the port), and
 * the Node built-ins the rest import map to browser equivalents. Only imports
 * made by src/main modules are swapped; the main renderer imports none.
 * `swaps.test.ts` checks that each swap exports what the page's modules take
 * from the original; docs/architecture.md lists them.
 */
import { join } from 'node:path';
import { normalizePath, type Plugin } from 'vite';

/** src/main module → its page version, relative to the repository root. */
export const GPU_HOST_SWAPS: readonly (readonly [original: string, swap: string])[] = [
  ['src/main/runs/jsonl-appender.ts', 'src/renderer/gpu-host/io/jsonl-appender.ts'],
  ['src/main/runs/run-lock.ts', 'src/renderer/gpu-host/io/run-lock.ts'],
  ['src/main/training/file-sha256.ts', 'src/renderer/gpu-host/io/file-sha256.ts'],
  ['src/main/common/png-codec.ts', 'src/renderer/gpu-host/io/png-codec.ts'],
  ['src/main/backend/loaders.ts', 'src/renderer/gpu-host/io/loaders.ts'],
  ['src/main/data/record-file.ts', 'src/renderer/gpu-host/io/record-file.ts'],
];

/** Node built-in → its page version (relative to the repository root) for imports made by src/main modules. */
export const GPU_HOST_BUILTINS: readonly (readonly [builtin: string, swap: string])[] = [
  ['node:fs/promises', 'src/renderer/gpu-host/io/fs-promises.ts'],
  ['node:os', 'src/renderer/gpu-host/io/os.ts'],
];

/** node:path → the `pathe` package (the same functions, POSIX paths, no Node). */
export const GPU_HOST_PATH_MODULE = 'pathe';

export function gpuHostModules(root: string): Plugin {
  // Vite's module ids use forward slashes on every platform (C:/… on Windows).
  const path = (...parts: string[]) => normalizePath(join(...parts));
  const main = path(root, 'src/main');
  const swaps = new Map(GPU_HOST_SWAPS.map(([original, swap]) => [path(root, original), path(root, swap)]));
  const builtins = new Map(GPU_HOST_BUILTINS.map(([builtin, swap]) => [builtin, path(root, swap)]));
  return {
    name: 'gan-studio-gpu-host-modules',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!importer?.startsWith(main)) return null;
      const builtin = builtins.get(source);
      if (builtin) return builtin;
      if (source === 'node:path') return this.resolve(GPU_HOST_PATH_MODULE, importer, { skipSelf: true });
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      return (resolved && swaps.get(resolved.id)) ?? null;
    },
  };
}
