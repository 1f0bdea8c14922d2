/**
 * Electron ≥ 45 has no install script: its binary is fetched the first time
 * `require('electron')` or its `install-electron` bin runs, which writes
 * `node_modules/electron/path.txt`. `electron-vite preview` reads path.txt
 * itself and only says "Electron uninstall" when it is missing, so `npm start`
 * fetches the binary first: the download here (with progress, honouring
 * ELECTRON_MIRROR, electron_config_cache and remote checksums exactly as the
 * installer does), then Electron's own install.js, which finds the archive in
 * the cache, unpacks it and writes path.txt.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { downloadArtifact } from '@electron/get';

export interface ElectronPackage {
  /** The electron package folder (node_modules/electron). */
  dir: string;
  version: string;
}

/** Download progress: bytes so far and total (null when the server sends no length). */
export type DownloadProgress = (transferred: number, total: number | null) => void;

/** The electron package this project depends on (GAN_STUDIO_ELECTRON_DIR points elsewhere, for tests). */
export function resolveElectronPackage(env: NodeJS.ProcessEnv = process.env): ElectronPackage {
  const dir = env.GAN_STUDIO_ELECTRON_DIR ?? join(createRequire(import.meta.url).resolve('electron/package.json'), '..');
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  return { dir, version };
}

/** The executable path.txt points at, when it and the binary both exist. */
export function installedElectronBinary(pkg: ElectronPackage): string | undefined {
  const pathFile = join(pkg.dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(pkg.dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

/** Fetch, unpack and register the Electron binary; resolves to its path. Throws ElectronDownloadError. */
export async function installElectronBinary(
  pkg: ElectronPackage,
  onProgress: DownloadProgress,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const remoteChecksums = Boolean(env.electron_use_remote_checksums || env.npm_config_electron_use_remote_checksums);
  try {
    await downloadArtifact({
      version: pkg.version,
      artifactName: 'electron',
      cacheRoot: env.electron_config_cache,
      platform: env.ELECTRON_INSTALL_PLATFORM ?? env.npm_config_platform ?? process.platform,
      arch: env.ELECTRON_INSTALL_ARCH ?? env.npm_config_arch ?? process.arch,
      checksums: remoteChecksums ? undefined : (JSON.parse(readFileSync(join(pkg.dir, 'checksums.json'), 'utf8')) as Record<string, string>),
      downloadOptions: { quiet: true, getProgressCallback: async ({ transferred, total }: { transferred: number; total: number | null }) => onProgress(transferred, total) },
    });
  } catch (error) {
    throw new ElectronDownloadError(explainDownloadFailure(error, pkg.version, env));
  }
  await runInstaller(pkg, env);
  const binary = installedElectronBinary(pkg);
  if (!binary) throw new ElectronDownloadError(`Electron's installer finished but ${join(pkg.dir, 'path.txt')} names no binary. Delete node_modules/electron and run npm ci.`);
  return binary;
}

export class ElectronDownloadError extends Error {
  override name = 'ElectronDownloadError';
}

/** Electron's install.js: unpacks the cached archive and writes path.txt (same platform/arch logic as a real install). */
function runInstaller(pkg: ElectronPackage, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(pkg.dir, 'install.js')], { cwd: pkg.dir, env, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new ElectronDownloadError(`Unpacking Electron ${pkg.version} failed (exit ${code}): ${firstLine(stderr)}. Delete node_modules/electron, run npm ci, then npm start.`));
    });
  });
}

/** Say what failed and what to do: offline, a proxy, a mirror without the file, a bad checksum. */
export function explainDownloadFailure(error: unknown, version: string, env: NodeJS.ProcessEnv = process.env): string {
  const text = error instanceof Error ? `${error.message} ${causeText(error)}` : String(error);
  const source = env.ELECTRON_MIRROR ? `the mirror ${env.ELECTRON_MIRROR} (ELECTRON_MIRROR)` : "Electron's GitHub releases";
  const head = `Could not download Electron ${version} (the desktop app's runtime, about 100 MB) from ${source}`;
  const fallback = 'Meanwhile the same studio runs in a browser: npx gan-studio serve.';
  if (/Response code 404|HTTPError/.test(text)) {
    return `${head}: ${firstLine(text)}.\nThe server has no such file: unset ELECTRON_MIRROR or point it at a mirror that hosts v${version} (URL layout <mirror>/v${version}/electron-v${version}-<platform>-<arch>.zip). ${fallback}`;
  }
  if (/checksum|sha256|did not match/i.test(text)) {
    return `${head}: the archive's checksum did not match (${firstLine(text)}).\nThe download was corrupted or the mirror serves another build: delete the Electron cache (electron_config_cache, default ~/.cache/electron) and try again; with a private mirror set electron_use_remote_checksums=1. ${fallback}`;
  }
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|fetch failed|network|socket/i.test(text)) {
    return `${head}: ${firstLine(text)}.\nCheck the internet connection. Behind a proxy, set HTTPS_PROXY and ELECTRON_GET_USE_PROXY=1; with no direct access, set ELECTRON_MIRROR to a reachable mirror. Then run npm start again. ${fallback}`;
  }
  return `${head}: ${firstLine(text)}. ${fallback}`;
}

function causeText(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (!cause) return '';
  return cause instanceof Error ? `(${(cause as NodeJS.ErrnoException).code ?? ''} ${cause.message})` : String(cause);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}
