/**
 * A scripted TrainerConnection for tests of the RunManager, IPC and server:
 * it records commands, answers pause/resume/stop the way a real trainer
 * does, and lets a test emit any event or exit.
 */
import type { TrainerCommand, TrainerEvent } from '../../shared/trainer-protocol';
import type { TrainerConnection } from '../training/trainer-connection';

type Exit = { code: number | null; signal: string | null };

export class FakeTrainer implements TrainerConnection {
  readonly sent: TrainerCommand[] = [];
  readonly pid = 4242;
  killed = false;
  private epoch = 0;
  private step = 0;
  private readonly eventListeners = new Set<(event: TrainerEvent) => void>();
  private readonly exitListeners = new Set<(exit: Exit) => void>();

  /** `scripted` false: record commands only, answer nothing (the test drives every event). */
  constructor(private readonly scripted = true) {}

  send(command: TrainerCommand): void {
    this.sent.push(command);
    if (!this.scripted) return;
    // Answer asynchronously, as a real process would.
    queueMicrotask(() => {
      if (command.type === 'pause') this.emit({ type: 'paused' });
      if (command.type === 'resume') this.emit({ type: 'resumed' });
      if (command.type === 'stop') {
        this.emit({ type: 'finished', reason: 'stopped', epoch: this.epoch, step: this.step });
        this.exit({ code: 0, signal: null });
      }
    });
  }

  onEvent(listener: (event: TrainerEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onExit(listener: (exit: Exit) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  kill(): void {
    this.killed = true;
    this.exit({ code: null, signal: 'SIGKILL' });
  }

  emit(event: TrainerEvent): void {
    if (event.type === 'epoch') ({ epoch: this.epoch, step: this.step } = event.metrics);
    for (const listener of [...this.eventListeners]) listener(event);
  }

  exit(exit: Exit): void {
    for (const listener of [...this.exitListeners]) listener(exit);
  }
}
