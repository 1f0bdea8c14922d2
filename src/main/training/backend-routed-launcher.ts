/**
 * One TrainerLauncher that picks, per run, which kind of trainer to start:
 * the desktop app trains on `webgpu` in a hidden GPU host window (Chromium's
 * own WebGPU) and on every other backend in a utility process. The choice
 * needs the run's backend, which only the `start` command carries, so the
 * connection it returns launches nothing until that command arrives; from
 * then on it is a transparent pass-through to the chosen connection.
 * Electron-free: both kinds are TrainerLaunchers.
 */
import type { TrainerCommand } from '../../shared/trainer-protocol';
import { createConnectionListeners, type TrainerConnection, type TrainerExit, type TrainerLauncher } from './trainer-connection';

export interface BackendLaunchers {
  /** Every run that does not ask for webgpu (auto included). */
  standard: TrainerLauncher;
  /** Runs that ask for webgpu explicitly. */
  webgpu: TrainerLauncher;
}

/** A stop before any start ends the session as a stopped trainer would; a kill as a killed one. */
const STOPPED_BEFORE_START: TrainerExit = { code: 0, signal: null };
const KILLED_BEFORE_START: TrainerExit = { code: null, signal: 'SIGKILL' };

/** The launcher a start command's backend asks for: webgpu when the command or (a new run's or resumed run's) config names it. */
function launcherFor(command: Extract<TrainerCommand, { type: 'start' }>, launchers: BackendLaunchers): TrainerLauncher {
  const backend = command.backend ?? command.config?.backend;
  return backend === 'webgpu' ? launchers.webgpu : launchers.standard;
}

export function routeTrainersByBackend(launchers: BackendLaunchers): TrainerLauncher {
  return () => {
    // Listeners live here, so those added before the start (RunManager subscribes first) hear the chosen trainer.
    const listeners = createConnectionListeners();
    let chosen: TrainerConnection | undefined;
    let ended = false;

    const endWithoutTrainer = (exit: TrainerExit): void => {
      ended = true;
      listeners.emitExit(exit);
    };

    const launch = (command: Extract<TrainerCommand, { type: 'start' }>): void => {
      try {
        chosen = launcherFor(command, launchers)();
      } catch (error) {
        // The launcher threw where a process launcher would have thrown from launcher(): the run fails with why.
        const message = `Could not start the trainer process: ${(error as Error).message}`;
        listeners.emitEvent({ type: 'failed', kind: 'error', error: { name: 'Error', message } });
        endWithoutTrainer({ code: 1, signal: null });
        return;
      }
      chosen.onEvent(listeners.emitEvent);
      chosen.onExit(listeners.emitExit);
      chosen.send(command);
    };

    return {
      send(command) {
        if (chosen) return chosen.send(command);
        if (ended) return; // stopped or killed before it started: nothing is left to hear it
        if (command.type === 'start') launch(command);
        else if (command.type === 'stop') endWithoutTrainer(STOPPED_BEFORE_START);
        // pause/resume before a start have nothing to act on, as in a trainer that has not started.
      },
      onEvent: listeners.onEvent,
      onExit: listeners.onExit,
      kill() {
        if (chosen) chosen.kill();
        else if (!ended) endWithoutTrainer(KILLED_BEFORE_START);
      },
      get pid() {
        return chosen?.pid;
      },
    } satisfies TrainerConnection;
  };
}
