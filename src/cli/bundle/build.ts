/**
 * `npm run bundle`: one self-contained folder, archived as
 * dist/gan-studio-<platform>-<arch>.tar.xz, that runs as `./gan-studio …` on a
 * machine with no npm, no Node and no internet (cluster nodes, lab GPU boxes):
 *
 *   gan-studio            the launcher (sh): the bundle's Node runs lib/gan-studio.js
 *   node/bin/node         this machine's Node binary (a self-contained official build), stripped
 *   lib/                  the CLI, trainer, backend probe and generate process, bundled by esbuild
 *   out/renderer/         serve's UI (the same build as npm run build's)
 *   node_modules/         only what loads native code or files by path (runtime-files.ts)
 *   resources/            the built-in sample dataset
 *
 * esbuild comes with tsx (a dependency). Node's binary cannot be downloaded
 * here (nodejs.org is unreachable), so the running one is copied: build the
 * bundle with the Node it should ship.
 */
import { build } from 'esbuild';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureRendererBuilt, rendererOutDir } from '../../../e2e/renderer-build';
import { packageRoot } from '../../main/paths';
import { EXTERNAL_PACKAGES, runtimeFiles } from './runtime-files';

/** The archive must stay small enough to copy onto a cluster by hand. */
export const MAX_BUNDLE_BYTES = 60 * 1024 * 1024;

const LAUNCHER = `#!/bin/sh
# GAN Studio, portable bundle: runs with its own Node (node/bin/node); no npm, Node or internet needed.
self=$0
# Through a symbolic link (~/bin/gan-studio → the unpacked folder) when readlink can follow it; needs nothing on PATH otherwise.
if command -v readlink >/dev/null 2>&1; then self=$(readlink -f "$0"); fi
here=\${self%/*}
exec "$here/node/bin/node" "$here/lib/gan-studio.js" "$@"
`;

export interface BundleOptions {
  /** xz preset 0–9 (9: smallest, slowest; tests use 0). */
  xzPreset: number;
  /** Where the archive goes (default <package>/dist). */
  outDir: string;
}

/** Builds the bundle; returns the archive's path and size. */
export async function buildBundle(options: BundleOptions): Promise<{ archive: string; bytes: number }> {
  const root = packageRoot();
  const platform = `${process.platform}-${process.arch}`;
  if (platform !== 'linux-x64') throw new Error(`The bundle is built for linux-x64 only (its native parts: libvips, Dawn, ffmpeg), got ${platform}.`);
  checkSelfContainedNode();
  const name = `gan-studio-${platform}`;
  const stage = join(options.outDir, name);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  try {
    await bundleJavaScript(root, join(stage, 'lib'));
    await ensureRendererBuilt();
    cpSync(rendererOutDir, join(stage, 'out', 'renderer'), { recursive: true });
    for (const file of runtimeFiles(root)) copyInto(join(root, 'node_modules', file), join(stage, 'node_modules', file));
    cpSync(join(root, 'resources', 'sample-datasets'), join(stage, 'resources', 'sample-datasets'), { recursive: true });
    copyNode(join(stage, 'node', 'bin', 'node'));
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    // packageRoot() finds the bundle by this file; "module" makes lib/*.js ES modules.
    writeFileSync(join(stage, 'package.json'), `${JSON.stringify({ name: 'gan-studio', version, private: true, type: 'module' }, null, 2)}\n`);
    writeFileSync(join(stage, 'gan-studio'), LAUNCHER, { mode: 0o755 });
    const archive = join(options.outDir, `${name}.tar.xz`);
    await archiveFolder(stage, archive, options.xzPreset);
    return { archive, bytes: statSync(archive).size };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** The CLI and the processes it forks, as ES modules sharing chunks; the packages in EXTERNAL_PACKAGES stay out. */
async function bundleJavaScript(root: string, outdir: string): Promise<void> {
  await build({
    entryPoints: {
      'gan-studio': join(root, 'src/cli/bundle/entry.ts'),
      trainer: join(root, 'src/main/training/trainer-entry.ts'),
      probe: join(root, 'src/main/probe-entry.ts'),
      generate: join(root, 'src/main/generate/generate-entry.ts'),
    },
    outdir,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL_PACKAGES,
    minify: true,
    keepNames: true,
    legalComments: 'none',
    // Bundled CommonJS (yauzl, tar's deps) calls require(): give ES module chunks one.
    banner: { js: "import { createRequire as __gsCreateRequire } from 'node:module'; const require = __gsCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
}

/** The running Node must not lean on shared libraries a bare machine lacks (OpenSSL, ICU, libuv …). */
function checkSelfContainedNode(): void {
  const variables = process.config.variables as unknown as Record<string, unknown>;
  const shared = Object.keys(variables).filter((key) => key.startsWith('node_shared') && variables[key] === true);
  if (shared.length > 0) {
    throw new Error(`This Node (${process.execPath}) uses system libraries (${shared.join(', ')}); build the bundle with an official Node build (nodejs.org, NodeSource).`);
  }
}

/** Copies Node's binary; strips its debug symbols when `strip` is there (the dynamic symbols native addons link to stay). */
function copyNode(target: string): void {
  copyInto(process.execPath, target);
  try {
    execFileSync('strip', [target], { stdio: 'ignore' });
  } catch {
    // No binutils: the unstripped binary works the same, it is only larger.
  }
  chmodSync(target, 0o755);
}

function copyInto(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  chmodSync(to, statSync(from).mode & 0o777);
}

/** tar | xz -<preset>, entries owned by root and sorted, so two builds of one tree give the same archive. */
function archiveFolder(folder: string, archive: string, preset: number): Promise<void> {
  return new Promise((done, fail) => {
    const tar = spawn('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-cf', '-', '-C', dirname(folder), basename(folder)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const xz = spawn('sh', ['-c', `xz -${preset} -T0 > "$1"`, 'sh', archive], { stdio: ['pipe', 'inherit', 'inherit'] });
    tar.stdout.pipe(xz.stdin);
    const ended = (what: string) => (code: number | null) => (code === 0 ? undefined : fail(new Error(`${what} exited with ${code}`)));
    tar.on('exit', ended('tar'));
    tar.on('error', fail);
    xz.on('error', fail);
    xz.on('exit', (code) => (code === 0 ? done() : fail(new Error(`xz exited with ${code}`))));
  });
}

const MiB = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { 'xz-preset': { type: 'string', default: '9' }, out: { type: 'string' } }, strict: true });
  const xzPreset = Number(values['xz-preset']);
  if (!Number.isInteger(xzPreset) || xzPreset < 0 || xzPreset > 9) throw new Error(`expected --xz-preset 0–9, got "${values['xz-preset']}"`);
  const { archive, bytes } = await buildBundle({ xzPreset, outDir: resolve(values.out ?? join(packageRoot(), 'dist')) });
  console.log(`${archive}: ${MiB(bytes)} (limit ${MiB(MAX_BUNDLE_BYTES)})`);
  if (bytes > MAX_BUNDLE_BYTES) {
    console.error(`The bundle is over ${MiB(MAX_BUNDLE_BYTES)}.`);
    process.exitCode = 1;
  }
}
