/**
 * How the GPU host page runs the trainer's own modules in a browser: the few
 * modules that touch the disk, sharp or Node's process APIs are swapped for
 * the page's versions in ./io (which ask the main process over the port), and
 * the Node built-ins the rest import map to browser equivalents. Only imports
 * made by src/main modules are swapped; the main renderer imports none.
 */
import { join } from 'node:path';
import type { Plugin } from 'vite';

export function gpuHostModules(root: string): Plugin {
  const main = join(root, 'src/main');
  const io = join(root, 'src/renderer/gpu-host/io');
  const swaps = new Map([
    [join(main, 'runs/jsonl-appender.ts'), join(io, 'jsonl-appender.ts')],
    [join(main, 'runs/run-lock.ts'), join(io, 'run-lock.ts')],
    [join(main, 'training/file-sha256.ts'), join(io, 'file-sha256.ts')],
    [join(main, 'training/png-codec.ts'), join(io, 'png-codec.ts')],
    [join(main, 'training/backend/loaders.ts'), join(io, 'loaders.ts')],
  ]);
  const builtins = new Map([
    ['node:fs/promises', join(io, 'fs-promises.ts')],
    ['node:os', join(io, 'os.ts')],
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
