/**
 * The trainer process entry (Electron utilityProcess or Node child): wait for
 * a start command, train, stream events back, exit — 0 after `finished`,
 * 1 after `failed`. Pause/resume/stop commands steer the running session; if
 * the parent disappears, or SIGINT/SIGTERM arrives, the trainer stops at the
 * next step and checkpoints.
 */
import type { TrainerCommand } from '../../shared/trainer-protocol';
import { TrainingControl } from './control';
import { classifyFailure } from './errors';
import { openParentChannel, StepCoalescer } from './trainer-channel';
import { runTrainer } from './trainer-run';

function main(): void {
  const channel = openParentChannel();
  const control = new TrainingControl();
  const events = new StepCoalescer((event) => channel.send(event));
  let started = false;

  const exitAfterDrain = (code: number) => {
    events.flush();
    void channel.drain().then(() => process.exit(code));
  };
  const fail = (error: unknown) => {
    events.push({ type: 'failed', ...classifyFailure(error) });
    exitAfterDrain(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // Ctrl-C in a terminal reaches the whole process group, this child included: treat it (and
  // SIGTERM) like a stop command so the parent's "stop and checkpoint" still happens. A parent
  // that is gone (killed) is the same: nobody supervises this training any more.
  const stopNow = () => (started ? control.stop() : exitAfterDrain(0));
  channel.onDisconnect(stopNow);
  process.on('SIGINT', stopNow);
  process.on('SIGTERM', stopNow);

  channel.onMessage((command: TrainerCommand) => {
    switch (command?.type) {
      case 'start':
        if (started) return; // one session per process
        started = true;
        void runTrainer(command, (event) => events.push(event), control).then((end) => exitAfterDrain(end.type === 'failed' ? 1 : 0));
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
        else exitAfterDrain(0);
        break;
    }
  });
}

main();
