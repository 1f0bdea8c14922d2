/**
 * The desktop app's child processes: each trainer is an Electron
 * utilityProcess (a Chromium-managed Node process, so the window's event
 * loop never trains), wrapped as the TrainerConnection the RunManager uses;
 * the backend probe runs the same way.
 */
import { utilityProcess } from 'electron';
import type { BackendReport } from '../shared/backends';
import type { TrainerEvent } from '../shared/trainer-protocol';
import { generateWith, type GenerateReply, type GenerateRunner } from './generate/worker';
import { probeBackendWith } from './studio-service/probe';
import { createConnectionListeners, type TrainerConnection, type TrainerLauncher } from './training/trainer-connection';

/** Launch trainers from the built trainer entry (out/main/trainer.js). */
export function utilityTrainerLauncher(trainerScript: string): TrainerLauncher {
  return () => {
    const child = utilityProcess.fork(trainerScript, [], { serviceName: 'GAN Studio trainer', stdio: 'inherit' });
    const listeners = createConnectionListeners();
    child.on('message', (message: TrainerEvent) => listeners.emitEvent(message));
    child.on('exit', (code) => listeners.emitExit({ code, signal: null }));
    return {
      // postMessage queues until the process has spawned.
      send: (command) => child.postMessage(command),
      onEvent: listeners.onEvent,
      onExit: listeners.onExit,
      kill: () => void child.kill(),
      get pid() {
        return child.pid;
      },
    } satisfies TrainerConnection;
  };
}

/** Ask a probe utility process (out/main/probe.js) which backend would train. */
export function probeBackendInUtility(probeScript: string): Promise<BackendReport> {
  return probeBackendWith(() => {
    const child = utilityProcess.fork(probeScript, [], { serviceName: 'GAN Studio backend probe', stdio: 'ignore' });
    return {
      onMessage: (listener) => child.once('message', listener),
      onExit: (listener) => child.once('exit', (code) => listener(code)),
      kill: () => void child.kill(),
    };
  });
}

/** Run generate jobs in utility processes (out/main/generate.js), so the main thread never runs the generator. */
export function generateInUtility(generateScript: string): GenerateRunner {
  return (job, signal) =>
    generateWith(
      () => {
        const child = utilityProcess.fork(generateScript, [], { serviceName: 'GAN Studio generate', stdio: 'inherit' });
        return {
          // postMessage queues until the process has spawned.
          send: (message) => child.postMessage(message),
          onMessage: (listener) => child.once('message', (message: GenerateReply) => listener(message)),
          onExit: (listener) => child.once('exit', (code) => listener(code)),
          kill: () => void child.kill(),
        };
      },
      job,
      signal,
    );
}
