/**
 * Generating runs outside the studio's own process: a 64-image grid of a
 * 32×32 preset takes about 1.5 s on wasm and 25–40 s on tf.js's plain cpu
 * (measured on a 2-core machine), far too long for the Electron main
 * thread's event loop. Each job gets a short-lived process (generate-entry.ts):
 * a Node child in the CLI's `serve` and in tests, a utilityProcess in Electron
 * (see electron-trainer.ts). Cancelling kills it; its error comes back with
 * its name and hint.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ExportCancelledError, ExportError, ExportInputError, FfmpegNotFoundError } from '../export/errors';
import { packageRoot } from '../paths';
import type { GenerateJob, GenerateOutcome } from './generate';

/** What the generate process sends back: one message, then it exits. */
export type GenerateReply = { ok: true; outcome: GenerateOutcome } | { ok: false; error: { name: string; message: string; hint?: string } };

/** The parent's view of one generate process. */
export interface GenerateProcess {
  send(job: GenerateJob): void;
  onMessage(listener: (reply: GenerateReply) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

/** Starts generate processes: Node children here, utility processes in Electron. */
export type GenerateRunner = (job: GenerateJob, signal?: AbortSignal) => Promise<GenerateOutcome>;

const ERRORS: Record<string, new (message: string, hint?: string) => ExportError> = {
  ExportInputError,
  FfmpegNotFoundError,
  ExportError,
};

/** Run one job in a process from `start`; resolves with its outcome, rejects with its error. */
export function generateWith(start: () => GenerateProcess, job: GenerateJob, signal?: AbortSignal): Promise<GenerateOutcome> {
  if (signal?.aborted) return Promise.reject(new ExportCancelledError());
  return new Promise((resolve, reject) => {
    const child = start();
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      settle(() => reject(new ExportCancelledError()));
      child.kill();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.onMessage((reply) =>
      settle(() => {
        if (reply.ok) return resolve(reply.outcome);
        const ErrorClass = ERRORS[reply.error.name] ?? ExportError;
        reject(new ErrorClass(reply.error.message, reply.error.hint));
      }),
    );
    child.onExit((code) =>
      settle(() => reject(new ExportError(`The generate process exited (code ${code}) before it finished.`, 'Try again; if it keeps failing, try an earlier checkpoint.'))),
    );
    child.send(job);
  });
}

/** The script to fork and its Node flags: generate-entry.ts under tsx from source, generate.js beside the build. */
export function generateEntry(): { script: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    return { script: join(dirname(here), 'generate-entry.ts'), execArgv: ['--import', tsx] };
  }
  const candidates = [join(dirname(here), 'generate.js'), join(dirname(here), '..', 'generate.js'), join(packageRoot(), 'out', 'main', 'generate.js')];
  const script = candidates.find((candidate) => existsSync(candidate));
  if (!script) throw new ExportError(`Cannot find the built generate process (looked for ${candidates.join(', ')}).`, 'Run "npm run build" first.');
  return { script, execArgv: [] };
}

/** Run one job in a Node child process (serve, tests). */
export const generateInChild: GenerateRunner = (job, signal) =>
  generateWith(
    () => {
      const { script, execArgv } = generateEntry();
      const child = fork(script, [], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      child.on('error', () => undefined);
      return {
        send: (message) => child.send(message),
        onMessage: (listener) => child.once('message', (message) => listener(message as GenerateReply)),
        onExit: (listener) => child.once('exit', (code) => listener(code)),
        kill: () => child.kill('SIGKILL'),
      };
    },
    job,
    signal,
  );
