/**
 * The parent's view of one trainer process, whatever runs it: a Node child
 * process (CLI, server, tests) or an Electron utilityProcess (desktop app).
 * The RunManager only ever talks to this interface.
 */
import type { TrainerCommand, TrainerEvent } from '../../shared/trainer-protocol';

/** How a trainer process ended (code null when killed by a signal). */
export type TrainerExit = { code: number | null; signal: string | null };

export interface TrainerConnection {
  send(command: TrainerCommand): void;
  /** Subscribe to trainer events; returns an unsubscribe function. */
  onEvent(listener: (event: TrainerEvent) => void): () => void;
  /** Called once when the process ends, for any reason (code null when killed by a signal). */
  onExit(listener: (exit: TrainerExit) => void): () => void;
  /** Hard-kill the process (SIGKILL); prefer send({ type: 'stop' }). */
  kill(): void;
  readonly pid: number | undefined;
}

/** Starts trainer processes; one implementation per process kind. */
export type TrainerLauncher = () => TrainerConnection;

/**
 * The listener bookkeeping every TrainerConnection shares: events fan out to
 * subscribers; the exit is reported once and latched, so a subscriber that
 * arrives after the process ended still hears it.
 */
export function createConnectionListeners(): Pick<TrainerConnection, 'onEvent' | 'onExit'> & {
  emitEvent(event: TrainerEvent): void;
  emitExit(exit: TrainerExit): void;
} {
  const eventListeners = new Set<(event: TrainerEvent) => void>();
  const exitListeners = new Set<(exit: TrainerExit) => void>();
  let exited: TrainerExit | undefined;
  return {
    emitEvent: (event) => eventListeners.forEach((listener) => listener(event)),
    emitExit(exit) {
      if (exited) return;
      exited = exit;
      exitListeners.forEach((listener) => listener(exit));
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onExit(listener) {
      const latched = exited;
      if (latched) queueMicrotask(() => listener(latched));
      else exitListeners.add(listener);
      return () => exitListeners.delete(listener);
    },
  };
}
