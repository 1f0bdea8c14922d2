/**
 * Where the studio's own files live, whether it runs from source (tsx,
 * Vitest), from the electron-vite build in out/, or packaged by Electron.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/** The folder holding the studio's package.json. */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && JSON.parse(readFileSync(candidate, 'utf8')).name === 'gan-studio') {
      cachedRoot = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the gan-studio package root above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** The shipped resources folder (icon, sample dataset). */
export function resourcesDir(): string {
  return join(packageRoot(), 'resources');
}

/** The studio's version from package.json. */
export function studioVersion(): string {
  return JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version as string;
}
