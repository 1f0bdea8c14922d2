/**
 * The desktop app's trainer launcher: each trainer is an Electron
 * utilityProcess (a Chromium-managed Node process, so the window's event
 * loop never trains), wrapped as the TrainerConnection the RunManager uses.
 */
import { utilityProcess } from 'electron';
import type { TrainerEvent } from '../shared/trainer-protocol';
import type { TrainerConnection, TrainerLauncher } from './training/trainer-connection';

type Exit = { code: number | null; signal: string | null };

/** Launch trainers from the built trainer entry (out/main/trainer.js). */
export function utilityTrainerLauncher(trainerScript: string): TrainerLauncher {
  return () => {
    const child = utilityProcess.fork(trainerScript, [], { serviceName: 'GAN Studio trainer', stdio: 'inherit' });
    const eventListeners = new Set<(event: TrainerEvent) => void>();
    const exitListeners = new Set<(exit: Exit) => void>();
    let exit: Exit | undefined;
    child.on('message', (message: TrainerEvent) => eventListeners.forEach((listener) => listener(message)));
    child.on('exit', (code) => {
      exit = { code, signal: null };
      exitListeners.forEach((listener) => listener(exit!));
    });
    return {
      // postMessage queues until the process has spawned.
      send: (command) => child.postMessage(command),
      onEvent(listener) {
        eventListeners.add(listener);
        return () => eventListeners.delete(listener);
      },
      onExit(listener) {
        if (exit) queueMicrotask(() => listener(exit!));
        else exitListeners.add(listener);
        return () => exitListeners.delete(listener);
      },
      kill: () => void child.kill(),
      get pid() {
        return child.pid;
      },
    } satisfies TrainerConnection;
  };
}
