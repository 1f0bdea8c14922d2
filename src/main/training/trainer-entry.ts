/**
 * The trainer process entry (Electron utilityProcess or Node child): wait for
 * a start command, train, stream events back, exit — 0 after `finished`,
 * 1 after `failed`. Pause/resume/stop commands steer the running session; if
 * the parent disappears, or SIGINT/SIGTERM arrives, the trainer stops at the
 * next step and checkpoints.
 */
import { classifyFailure } from './errors';
import { openParentChannel, StepCoalescer } from './trainer-channel';
import { trainerSession } from './trainer-session';

function main(): void {
  const channel = openParentChannel();
  const events = new StepCoalescer((event) => channel.send(event));

  const exitAfterDrain = (code: number) => {
    events.flush();
    void channel.drain().then(() => process.exit(code));
  };
  const handle = trainerSession((event) => events.push(event), exitAfterDrain);
  const fail = (error: unknown) => {
    events.push({ type: 'failed', ...classifyFailure(error) });
    exitAfterDrain(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // Ctrl-C in a terminal reaches the whole process group, this child included: treat it (and
  // SIGTERM) like a stop command so the parent's "stop and checkpoint" still happens. A parent
  // that is gone (killed) is the same: nobody supervises this training any more.
  const stopNow = () => handle({ type: 'stop' });
  channel.onDisconnect(stopNow);
  process.on('SIGINT', stopNow);
  process.on('SIGTERM', stopNow);
  channel.onMessage(handle);
}

main();
