/**
 * The server the serve and Slurm benches measure: a real `gan-studio serve`
 * process on a free loopback port, ready once it prints its URL (with the
 * token a client connects with).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../main/paths';

/** `gan-studio serve --port 0` with `env`; its stdout is piped (readyUrl reads it), stderr shown. */
export function spawnServe(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [join(packageRoot(), 'src', 'cli', 'gan-studio.js'), 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
}

/** The URL serve prints when it listens; rejects with its output if it exits first. */
export function readyUrl(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      text += String(chunk);
      const match = /http:\/\/\S+token=\w+/.exec(text);
      if (match) resolve(match[0]);
    });
    server.once('exit', (code) => reject(new Error(`serve exited with ${code} before it was ready:\n${text}`)));
  });
}
