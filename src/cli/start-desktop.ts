/**
 * `npm start`: check Node, make sure Electron's binary is installed (the first
 * start downloads it, with progress), then run `electron-vite preview` (build,
 * then launch) on that binary. Extra arguments go to electron-vite
 * (e.g. `npm start -- --skipBuild`).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { checkDesktopNode } from './desktop/node-requirements';
import { ElectronDownloadError, installElectronBinary, installedElectronBinary, resolveElectronPackage } from './desktop/electron-binary';
import { EXIT } from './exit-codes';
import { createProgressLine } from './progress-bar';

async function startDesktop(args: string[]): Promise<number> {
  const node = checkDesktopNode();
  if (node.message) console.error(node.message);
  if (!node.ok) return EXIT.unavailable;

  const electron = resolveElectronPackage();
  let binary = installedElectronBinary(electron);
  if (!binary) {
    console.error(`First start: downloading Electron ${electron.version}, the desktop app's runtime (once; cached afterwards).`);
    const progress = createProgressLine();
    try {
      binary = await installElectronBinary(electron, (transferred, total) =>
        progress.update(total ? transferred / total : 0, `${(transferred / 2 ** 20).toFixed(1)}${total ? ` of ${(total / 2 ** 20).toFixed(1)}` : ''} MB`),
      );
      progress.done(`Electron ${electron.version} installed.`);
    } catch (error) {
      progress.done('');
      if (!(error instanceof ElectronDownloadError)) throw error;
      console.error(error.message);
      return EXIT.unavailable;
    }
  }
  return launchPreview(binary, args);
}

/** electron-vite reads ELECTRON_EXEC_PATH before path.txt, so it runs exactly the binary checked above. */
function launchPreview(binary: string, args: string[]): Promise<number> {
  const cli = join(createRequire(import.meta.url).resolve('electron-vite/package.json'), '..', 'bin', 'electron-vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'preview', ...args], { stdio: 'inherit', env: { ...process.env, ELECTRON_EXEC_PATH: binary } });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1)));
  });
}

process.exitCode = await startDesktop(process.argv.slice(2));
