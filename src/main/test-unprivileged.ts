/**
 * Test support: run code as an unprivileged user, so file permissions really
 * apply (root reads any file). As root, a child process drops to "nobody";
 * otherwise it runs as ourselves. The child runs ESM TypeScript through tsx.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** uid/gid options for spawn: "nobody" when we are root. */
export const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/** An import specifier for a module under src/main (for a child's `await import(…)`). */
export const mainModule = (file: string): string => JSON.stringify(pathToFileURL(join(import.meta.dirname, file)).href);

/** Node arguments that run `script` (ESM, may await) with TypeScript imports. */
export function childArgs(script: string): string[] {
  return ['--import', tsx, '--input-type=module', '-e', script];
}

/** Run `script` unprivileged in `cwd` with `env`; resolves with the last line it printed, parsed as JSON. */
export function runUnprivileged(script: string, options: { cwd: string; env: NodeJS.ProcessEnv }): unknown {
  const result = spawnSync(process.execPath, childArgs(script), { ...unprivileged, env: options.env, cwd: options.cwd, encoding: 'utf8', timeout: 110_000 });
  if (result.status !== 0) throw new Error(`child failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}
