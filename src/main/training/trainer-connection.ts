/**
 * The parent's view of one trainer process, whatever runs it: a Node child
 * process (CLI, server, tests) or an Electron utilityProcess (desktop app).
 * The RunManager only ever talks to this interface.
 */
import type { TrainerCommand, TrainerEvent } from '../../shared/trainer-protocol';

export interface TrainerConnection {
  send(command: TrainerCommand): void;
  /** Subscribe to trainer events; returns an unsubscribe function. */
  onEvent(listener: (event: TrainerEvent) => void): () => void;
  /** Called once when the process ends, for any reason (code null when killed by a signal). */
  onExit(listener: (exit: { code: number | null; signal: string | null }) => void): () => void;
  /** Hard-kill the process (SIGKILL); prefer send({ type: 'stop' }). */
  kill(): void;
  readonly pid: number | undefined;
}

/** Starts trainer processes; one implementation per process kind. */
export type TrainerLauncher = () => TrainerConnection;
