/**
 * Generating runs outside the studio's own process: a 64-image grid of a
 * 32×32 preset takes about 1.5 s on wasm and 25–40 s on tf.js's plain cpu
 * (measured on a 2-core machine), far too long for the Electron main
 * thread's event loop. A GenerateWorker keeps one generate process
 * (generate-entry.ts) warm between jobs — starting one (tf.js, the backend
 * check) costs several seconds — runs jobs one at a time, closes it after a
 * minute idle, and replaces it after a crash or a cancel (which kills it).
 * The process is a Node child in `serve` and tests, a utilityProcess in
 * Electron (see electron-trainer.ts).
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ExportCancelledError, ExportError, ExportInputError, FfmpegNotFoundError } from '../export/errors';
import { packageRoot } from '../paths';
import { forwardStderr } from '../backend/webgpu/dawn-noise';
import type { GenerateJob, GenerateOutcome } from './generate';

/** Parent → generate process. */
export interface GenerateCommand {
  id: number;
  job: GenerateJob;
}

/** Generate process → parent: one reply per command. */
export type GenerateReply = { id: number } & ({ ok: true; outcome: GenerateOutcome } | { ok: false; error: { name: string; message: string; hint?: string } });

/** The parent's view of one generate process. */
export interface GenerateProcess {
  send(command: GenerateCommand): void;
  onMessage(listener: (reply: GenerateReply) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

/** Runs generate jobs somewhere other than the caller's event loop. */
export interface GenerateRunner {
  run(job: GenerateJob, signal?: AbortSignal): Promise<GenerateOutcome>;
  /** Stop the process (studio shutdown). */
  close(): void;
}

const ERRORS: Record<string, new (message: string, hint?: string) => ExportError> = { ExportInputError, FfmpegNotFoundError, ExportError };

/** How long an idle generate process is kept for the next job. */
export const GENERATE_IDLE_MS = 60_000;

interface Pending {
  id: number;
  settle(reply: GenerateReply | { exited: number | null }): void;
}

/** One warm process, one job at a time. */
export class GenerateWorker implements GenerateRunner {
  private child: { process: GenerateProcess; pending?: Pending } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly start: () => GenerateProcess,
    private readonly idleMs = GENERATE_IDLE_MS,
  ) {}

  run(job: GenerateJob, signal?: AbortSignal): Promise<GenerateOutcome> {
    const result = this.queue.then(() => this.runNow(job, signal));
    this.queue = result.catch(() => undefined);
    return result;
  }

  close(): void {
    clearTimeout(this.idleTimer);
    const child = this.child;
    this.child = undefined;
    child?.process.kill();
  }

  private runNow(job: GenerateJob, signal?: AbortSignal): Promise<GenerateOutcome> {
    if (signal?.aborted) return Promise.reject(new ExportCancelledError());
    clearTimeout(this.idleTimer);
    const child = (this.child ??= this.spawn());
    const id = this.nextId++;
    return new Promise<GenerateOutcome>((resolve, reject) => {
      const onAbort = () => {
        // Rejected once the process has exited, so the caller's clean-up never races its last writes.
        child.pending = { id, settle: () => reject(new ExportCancelledError()) };
        this.close(); // the only way to interrupt tf.js mid-predict
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      child.pending = {
        id,
        settle: (reply) => {
          signal?.removeEventListener('abort', onAbort);
          if ('exited' in reply) {
            reject(new ExportError(`The generate process exited (code ${reply.exited}) before it finished.`, 'Try again; if it keeps failing, try an earlier checkpoint.'));
          } else if (reply.ok) resolve(reply.outcome);
          else reject(new (ERRORS[reply.error.name] ?? ExportError)(reply.error.message, reply.error.hint));
        },
      };
      child.process.send({ id, job });
    }).finally(() => {
      this.idleTimer = setTimeout(() => this.close(), this.idleMs);
      this.idleTimer.unref();
    });
  }

  private spawn(): { process: GenerateProcess; pending?: Pending } {
    const child: { process: GenerateProcess; pending?: Pending } = { process: this.start() };
    child.process.onMessage((reply) => {
      const pending = child.pending;
      if (pending?.id !== reply.id) return;
      child.pending = undefined;
      pending.settle(reply);
    });
    child.process.onExit((code) => {
      if (this.child === child) this.child = undefined;
      const pending = child.pending;
      child.pending = undefined;
      pending?.settle({ exited: code });
    });
    return child;
  }
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

/** A generate process as a Node child (serve, tests); it never keeps the parent alive by itself. */
export function startGenerateChild(): GenerateProcess {
  const { script, execArgv } = generateEntry();
  const child = fork(script, [], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  if (child.stderr) forwardStderr(child.stderr);
  child.on('error', () => undefined);
  child.unref();
  child.channel?.unref();
  return {
    send: (command) => child.send(command),
    onMessage: (listener) => child.on('message', (message) => listener(message as GenerateReply)),
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    kill: () => child.kill('SIGKILL'),
  };
}
