/**
 * Finding ffmpeg. Order (issue 4): FFMPEG_PATH → ffmpeg-static (only when
 * the file it names exists — its download is often skipped) → the binary in
 * @ffmpeg-installer/ffmpeg → `ffmpeg` on PATH. A candidate counts only when
 * `ffmpeg -version` runs, so a wrong-architecture or truncated binary falls
 * through instead of failing mid-export.
 *
 * A set-but-broken FFMPEG_PATH is an error, not a fall-through: the user
 * asked for that binary, and silently using another one would hide the typo.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { FfmpegNotFoundError } from './errors';

/** Where a resolved ffmpeg came from. */
export type FfmpegSource = 'FFMPEG_PATH' | 'ffmpeg-static' | '@ffmpeg-installer/ffmpeg' | 'PATH';

export interface ResolvedFfmpeg {
  path: string;
  source: FfmpegSource;
  /** First line of `ffmpeg -version`. */
  version: string;
}

export interface ResolveOptions {
  /** Environment to read FFMPEG_PATH and PATH from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Loads an npm package by name (default: require from this module); tests replace it. */
  loadPackage?: (name: string) => unknown;
}

const nodeRequire = createRequire(import.meta.url);

function defaultLoadPackage(name: string): unknown {
  return nodeRequire(name);
}

/** Inside a packaged Electron app binaries live next to the asar, not in it. */
function unpacked(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/** Runs `<path> -version`; returns its first line, or a reason it failed. */
function probe(path: string): { version: string } | { problem: string } {
  if (!existsSync(path)) return { problem: `${path} does not exist` };
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return { problem: `${path} is not executable` };
  }
  const result = spawnSync(path, ['-hide_banner', '-version'], { encoding: 'utf8', timeout: 15_000 });
  if (result.error) return { problem: `${path} failed to start (${result.error.message})` };
  if (result.status !== 0) return { problem: `${path} -version exited with ${result.status}` };
  return { version: result.stdout.split('\n')[0] ?? 'ffmpeg' };
}

function fromPackage(name: string, load: (name: string) => unknown): { path?: string; problem?: string } {
  let exported: unknown;
  try {
    exported = load(name);
  } catch {
    return { problem: `${name} is not installed` };
  }
  // ffmpeg-static exports the path string (or null); @ffmpeg-installer/ffmpeg exports { path }.
  const path = typeof exported === 'string' ? exported : (exported as { path?: unknown } | null)?.path;
  if (typeof path !== 'string' || path === '') return { problem: `${name} has no binary for ${process.platform}-${process.arch}` };
  return { path: unpacked(path) };
}

function onPath(env: NodeJS.ProcessEnv, name: string): { path?: string; problem?: string } {
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, exe);
    if (existsSync(candidate)) return { path: candidate };
  }
  return { problem: `no ${exe} on PATH` };
}

const FIXES: Record<FfmpegSource, string> = {
  FFMPEG_PATH: 'set FFMPEG_PATH to the full path of an ffmpeg executable',
  'ffmpeg-static': 'reinstall ffmpeg-static where its binary download is allowed',
  '@ffmpeg-installer/ffmpeg': 'reinstall @ffmpeg-installer/ffmpeg (npm ci) on a supported platform',
  PATH: 'install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg)',
};

const cache = new Map<string, ResolvedFfmpeg>();

/** Find a working ffmpeg, or throw FfmpegNotFoundError listing what was tried. */
export function resolveFfmpeg(options: ResolveOptions = {}): ResolvedFfmpeg {
  const env = options.env ?? process.env;
  const load = options.loadPackage ?? defaultLoadPackage;
  const accept = (path: string, source: FfmpegSource): ResolvedFfmpeg | string => {
    const hit = cache.get(path);
    if (hit) return { ...hit, source };
    const result = probe(path);
    if ('problem' in result) return result.problem;
    const resolved = { path, source, version: result.version };
    cache.set(path, resolved);
    return resolved;
  };

  const explicit = env.FFMPEG_PATH;
  if (explicit) {
    const result = accept(explicit, 'FFMPEG_PATH');
    if (typeof result !== 'string') return result;
    throw new FfmpegNotFoundError(
      `FFMPEG_PATH is set but unusable: ${result}.`,
      'Fix FFMPEG_PATH to point at an ffmpeg executable, or unset it to use the bundled ffmpeg.',
    );
  }

  const tried: string[] = ['FFMPEG_PATH: not set'];
  const candidates: [FfmpegSource, { path?: string; problem?: string }][] = [
    ['ffmpeg-static', fromPackage('ffmpeg-static', load)],
    ['@ffmpeg-installer/ffmpeg', fromPackage('@ffmpeg-installer/ffmpeg', load)],
    ['PATH', onPath(env, 'ffmpeg')],
  ];
  for (const [source, found] of candidates) {
    const result = found.path ? accept(found.path, source) : (found.problem ?? 'not found');
    if (typeof result !== 'string') return result;
    tried.push(`${source}: ${result}`);
  }
  throw new FfmpegNotFoundError(
    `No working ffmpeg found. Tried:\n${tried.map((line) => `  - ${line}`).join('\n')}`,
    `Any one of these fixes it:\n${Object.values(FIXES)
      .map((fix) => `  - ${fix}`)
      .join('\n')}`,
  );
}
