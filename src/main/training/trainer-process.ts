/**
 * Starts the trainer as a Node child process (CLI, server, tests). From
 * source (this file is .ts) it forks trainer-entry.ts under tsx; from the
 * electron-vite build it forks out/main/trainer.js.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TrainerEvent } from '../../shared/trainer-protocol';
import { packageRoot } from '../paths';
import { forwardStderr } from '../backend/webgpu/dawn-noise';
import { createConnectionListeners, type TrainerConnection } from './trainer-connection';

/** The script to fork and the Node flags it needs. */
export function trainerEntry(): { script: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    // Resolve tsx from this package, so forking works whatever the working directory.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    return { script: join(dirname(here), 'trainer-entry.ts'), execArgv: ['--import', tsx] };
  }
  // Bundled: this code sits in out/main/ (or a chunk folder below it) beside trainer.js.
  const candidates = [join(dirname(here), 'trainer.js'), join(dirname(here), '..', 'trainer.js'), join(packageRoot(), 'out', 'main', 'trainer.js')];
  const script = candidates.find((candidate) => existsSync(candidate));
  if (!script) throw new Error(`Cannot find the built trainer (looked for ${candidates.join(', ')}). Run "npm run build" first.`);
  return { script, execArgv: [] };
}

/** Fork a trainer child process and wrap it as a TrainerConnection. */
export function spawnTrainerProcess(options: { env?: NodeJS.ProcessEnv } = {}): TrainerConnection {
  const { script, execArgv } = trainerEntry();
  const child = fork(script, [], { execArgv, env: options.env ?? process.env, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  if (child.stderr) forwardStderr(child.stderr);
  const listeners = createConnectionListeners();
  child.on('message', (message) => listeners.emitEvent(message as TrainerEvent));
  child.on('exit', (code, signal) => listeners.emitExit({ code, signal }));
  // A process that never started emits only 'error'; report it as an exit so supervisors are not left waiting.
  child.on('error', () => {
    if (child.pid === undefined) listeners.emitExit({ code: 1, signal: null });
  });

  return {
    send(command) {
      if (child.connected) child.send(command);
    },
    onEvent: listeners.onEvent,
    onExit: listeners.onExit,
    kill() {
      child.kill('SIGKILL');
    },
    get pid() {
      return child.pid;
    },
  };
}
