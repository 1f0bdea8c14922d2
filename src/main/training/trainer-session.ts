/**
 * What a trainer does with the commands it is sent, wherever it runs — a
 * trainer process (trainer-entry.ts) or the desktop app's GPU host page: one
 * start per session, pause/resume/stop steering it, a stop before the start
 * ending it at once. `end` gets the exit code: 0 after `finished`, 1 after
 * `failed`.
 */
import type { TrainerCommand, TrainerEvent } from '../../shared/trainer-protocol';
import { TrainingControl } from './control';
import { runTrainer } from './trainer-run';

export function trainerSession(emit: (event: TrainerEvent) => void, end: (code: number) => void): (command: TrainerCommand) => void {
  const control = new TrainingControl();
  let started = false;
  return (command) => {
    switch (command?.type) {
      case 'start':
        if (started) return; // one session per trainer
        started = true;
        void runTrainer(command, emit, control).then((outcome) => end(outcome.type === 'failed' ? 1 : 0));
        break;
      case 'pause':
        control.pause();
        break;
      case 'resume':
        control.resume();
        break;
      case 'stop':
        // Stopping before a start has nothing to save.
        if (started) control.stop();
        else end(0);
        break;
    }
  };
}
