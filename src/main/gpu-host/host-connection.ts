/**
 * A GPU host page seen as a TrainerConnection, so the RunManager supervises
 * it like any trainer process: commands go to the page (with the run's two
 * folders renamed to the page's `/run` and `/dataset`), its events come
 * back, its file requests are performed here (host-files.ts), and when it
 * exits, dies or cannot load, the connection exits — a page that dies
 * mid-run is a crashed trainer, and its run lock is let go.
 */
import { hostname } from 'node:os';
import { GPU_HOST_OPS, GPU_HOST_ROOTS, type PageToHost } from '../../shared/gpu-host-protocol';
import type { TrainerCommand } from '../../shared/trainer-protocol';
import { createConnectionListeners, type TrainerConnection } from '../training/trainer-connection';
import { HostFiles } from './host-files';
import type { GpuHostPage, HostPort } from './page-port';

/** How an exit reads when the page went away without saying it was done. */
const GONE_SIGNAL = 'SIGKILL';

export function createGpuHostConnection(page: GpuHostPage): TrainerConnection {
  const listeners = createConnectionListeners();
  let files: HostFiles | undefined;
  let finished = false;

  const exit = (code: number | null, signal: string | null) => {
    if (finished) return;
    finished = true;
    void (files?.dispose() ?? Promise.resolve()).finally(() => listeners.emitExit({ code, signal }));
    page.close();
  };

  const fromPage = (port: HostPort, message: PageToHost) => {
    switch (message.kind) {
      case 'event':
        listeners.emitEvent(message.event);
        break;
      case 'call':
      case 'post': {
        if (!files || !GPU_HOST_OPS.includes(message.op) || !Array.isArray(message.args)) {
          if (message.kind === 'call') port.post({ kind: 'reply', id: message.id, ok: false, error: { message: `The GPU trainer sent a request the app does not know (${String(message.op)}).`, code: 'EINVAL' } });
          return;
        }
        if (message.kind === 'post') {
          files.post(message.op, message.args);
          return;
        }
        const { id } = message;
        files.call(message.op, message.args).then(
          (value) => port.post({ kind: 'reply', id, ok: true, value }),
          (error: unknown) => port.post({ kind: 'reply', id, ok: false, error: serialise(error) }),
        );
        break;
      }
      case 'exit':
        exit(message.code, null);
        break;
    }
  };

  const ready = page.port.then((port) => {
    port.post({ kind: 'hello', pid: process.pid, hostname: hostname() });
    port.onMessage((message) => fromPage(port, message));
    return port;
  });
  ready.catch((error: unknown) => {
    console.error(`GAN Studio: the GPU trainer window did not load: ${error instanceof Error ? error.message : String(error)}`);
    exit(1, null);
  });
  page.onGone(() => exit(null, GONE_SIGNAL));

  return {
    send(command: TrainerCommand) {
      let sent = command;
      if (command.type === 'start' && !files) {
        files = new HostFiles({ run: command.runDir, dataset: command.datasetDir });
        sent = { ...command, runDir: GPU_HOST_ROOTS.run, datasetDir: GPU_HOST_ROOTS.dataset };
      }
      void ready.then((port) => port.post({ kind: 'command', command: sent }), () => undefined);
    },
    onEvent: listeners.onEvent,
    onExit: listeners.onExit,
    kill: () => exit(null, GONE_SIGNAL),
    pid: undefined,
  };
}

function serialise(error: unknown): { message: string; code?: string } {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { message, code } : { message };
}
