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
  /** Every run that does not train on webgpu. */
  standard: TrainerLauncher;
  /** Runs that ask for webgpu explicitly, and auto runs when `autoTrainsOnWebgpu` says so. */
  webgpu: TrainerLauncher;
  /** Whether auto (no backend named) trains on webgpu here; asked at each auto start. A rejection means no. */
  autoTrainsOnWebgpu?: () => Promise<boolean>;
}

/** A stop before any start ends the session as a stopped trainer would; a kill as a killed one. */
const STOPPED_BEFORE_START: TrainerExit = { code: 0, signal: null };
const KILLED_BEFORE_START: TrainerExit = { code: null, signal: 'SIGKILL' };

/** The launcher a start command names: webgpu when the command or (a new run's or resumed run's) config names it; undefined for auto. */
function namedLauncher(command: Extract<TrainerCommand, { type: 'start' }>, launchers: BackendLaunchers): TrainerLauncher | undefined {
  const backend = command.backend ?? command.config?.backend;
  if (backend === undefined && launchers.autoTrainsOnWebgpu) return undefined;
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

    /** Commands sent while auto's choice is being made, in order. */
    let waiting: TrainerCommand[] | undefined;

    const launchWith = (launcher: TrainerLauncher, command: Extract<TrainerCommand, { type: 'start' }>, later: TrainerCommand[] = []): void => {
      try {
        chosen = launcher();
      } catch (error) {
        const message = `Could not start the trainer process: ${(error as Error).message}`;
        // No trainer ran, so nothing of the run was touched.
        listeners.emitEvent({ type: 'failed', kind: 'error', error: { name: 'Error', message }, refused: true });
        endWithoutTrainer({ code: 1, signal: null });
        return;
      }
      chosen.onEvent(listeners.emitEvent);
      chosen.onExit(listeners.emitExit);
      chosen.send(command);
      for (const next of later) chosen.send(next);
    };

    const launch = (command: Extract<TrainerCommand, { type: 'start' }>): void => {
      const named = namedLauncher(command, launchers);
      if (named) return launchWith(named, command);
      const queued: TrainerCommand[] = (waiting = []);
      void launchers.autoTrainsOnWebgpu!()
        .catch(() => false)
        .then((webgpu) => {
          waiting = undefined;
          if (!ended) launchWith(webgpu ? launchers.webgpu : launchers.standard, command, queued);
        });
    };

    return {
      send(command) {
        if (chosen) return chosen.send(command);
        if (ended) return; // stopped or killed before it started: nothing is left to hear it
        if (command.type === 'stop') endWithoutTrainer(STOPPED_BEFORE_START);
        else if (waiting) waiting.push(command);
        else if (command.type === 'start') void launch(command);
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
