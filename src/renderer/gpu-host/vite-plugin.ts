/**
 * How the GPU host page runs the trainer's own modules in a browser: the few
 * modules that touch the disk, sharp or Node's process APIs are swapped for
 * the page's versions in ./io (which ask the main process over the port), and
 * the Node built-ins the rest import map to browser equivalents. Only imports
 * made by src/main modules are swapped; the main renderer imports none.
 */
import { join } from 'node:path';
import { normalizePath, type Plugin } from 'vite';

export function gpuHostModules(root: string): Plugin {
  // Vite's module ids use forward slashes on every platform (C:/… on Windows).
  const path = (...parts: string[]) => normalizePath(join(...parts));
  const main = path(root, 'src/main');
  const io = path(root, 'src/renderer/gpu-host/io');
  const swaps = new Map([
    [path(main, 'runs/jsonl-appender.ts'), path(io, 'jsonl-appender.ts')],
    [path(main, 'runs/run-lock.ts'), path(io, 'run-lock.ts')],
    [path(main, 'training/file-sha256.ts'), path(io, 'file-sha256.ts')],
    [path(main, 'training/png-codec.ts'), path(io, 'png-codec.ts')],
    [path(main, 'training/backend/loaders.ts'), path(io, 'loaders.ts')],
    [path(main, 'data/record-file.ts'), path(io, 'record-file.ts')],
  ]);
  const builtins = new Map([
    ['node:fs/promises', path(io, 'fs-promises.ts')],
    ['node:os', path(io, 'os.ts')],
  ]);
  return {
    name: 'gan-studio-gpu-host-modules',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!importer?.startsWith(main)) return null;
      const builtin = builtins.get(source);
      if (builtin) return builtin;
      if (source === 'node:path') return this.resolve('pathe', importer, { skipSelf: true });
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      return (resolved && swaps.get(resolved.id)) ?? null;
    },
  };
}
