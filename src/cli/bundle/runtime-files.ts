/**
 * The node_modules files the portable bundle ships: the packages esbuild
 * leaves external because they load native code or files by path at run
 * time. tfjs stays in its own CommonJS files so the backends the trainer
 * requires lazily (wasm, webgpu) register with the one tfjs-core everything
 * else uses; a second, bundled copy would be a separate engine.
 *
 * What a package's JavaScript loads is found by requiring it in a child
 * Node and reading require.cache; the files it opens by path (wasm
 * binaries, libvips, Dawn, ffmpeg) are listed here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** Packages esbuild must not bundle (optional ones may be absent). */
export const EXTERNAL_PACKAGES = [
  '@tensorflow/*',
  'sharp',
  'webgpu',
  '@ffmpeg-installer/*',
  'ffmpeg-static',
  'electron',
];

/** Required in a child to learn their JavaScript files (each may fail: then it is left out, as on a machine without it). */
const TRACED = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', 'sharp', '@ffmpeg-installer/ffmpeg'];

/** Files loaded by path rather than by require, relative to node_modules (folders are copied whole). */
const BY_PATH = [
  '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
  '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
  '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm',
  '@img/sharp-libvips-linux-x64/lib',
  '@img/sharp-libvips-linux-x64/package.json',
  '@ffmpeg-installer/linux-x64/ffmpeg',
  // webgpu is an ES module (require.cache does not see it): its entry and Dawn.
  'webgpu/package.json',
  'webgpu/index.js',
  'webgpu/dist/linux-x64/dawn.node',
];

/** Every node_modules file the bundle needs, relative to `root`/node_modules. */
export function runtimeFiles(root: string): string[] {
  // require.cache holds real paths (node_modules may be a link, as in a git worktree).
  const modules = realpathSync(join(root, 'node_modules'));
  const script = `const r = require('node:module').createRequire(${JSON.stringify(join(root, 'package.json'))});
for (const name of ${JSON.stringify(TRACED)}) { try { r(name); } catch (e) { console.error(name + ': ' + String(e.message).split('\\n')[0]); } }
console.log(JSON.stringify(Object.keys(require.cache)));`;
  const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as string[];
  const files = new Set<string>();
  for (const file of loaded) {
    if (!file.startsWith(modules + sep)) continue;
    files.add(relative(modules, file));
    // Node reads the package's package.json to resolve it (main, exports), and the nearest one for its module type.
    for (const manifest of [packageRootOf(file), nearestPackageJson(file, modules)]) {
      if (manifest && existsSync(manifest)) files.add(relative(modules, manifest));
    }
  }
  for (const path of BY_PATH) {
    const full = join(modules, path);
    if (!existsSync(full)) continue;
    for (const file of walk(full)) files.add(relative(modules, file));
  }
  return [...files].sort();
}

/** The package.json at the root of the package holding `file` (…/node_modules/[@scope/]name). */
function packageRootOf(file: string): string | undefined {
  const parts = file.split(sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const depth = parts[at + 1]?.startsWith('@') ? 3 : 2;
  return [...parts.slice(0, at + depth), 'package.json'].join(sep);
}

/** The package.json nearest above `file`. */
function nearestPackageJson(file: string, modules: string): string | undefined {
  for (let dir = dirname(file); dir.startsWith(modules + sep); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'package.json');
  }
  return undefined;
}

function walk(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => walk(join(path, name)));
}
